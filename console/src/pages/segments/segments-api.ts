import { listApi } from '@shared/api/contract/lists.ts';
import { segmentApi } from '@shared/api/contract/segments.ts';
import { settingsApi } from '@shared/api/contract/settings.ts';
import { apiOf } from '../../api/client.ts';

export const segments = apiOf(segmentApi);
/** For the builder's list picker. */
export const lists = apiOf(listApi);
/** For the builder's topic names. */
export const settings = apiOf(settingsApi);
