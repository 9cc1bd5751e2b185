import { listApi } from '@shared/api/contract/lists.ts';
import { apiOf } from '../../api/client.ts';

export const lists = apiOf(listApi);
