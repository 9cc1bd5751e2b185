import { suppressionApi } from '@shared/api/contract/suppressions.ts';
import { apiOf } from '../../api/client.ts';

export const suppressions = apiOf(suppressionApi);
