import { templateApi } from '@shared/api/contract/templates.ts';
import { apiOf } from '../../api/client.ts';

export const templates = apiOf(templateApi);
