import { settingsApi } from '@shared/api/contract/settings.ts';
import { apiOf } from '../../api/client.ts';

/** Sending settings (sender identities, SMS, frequency cap, quiet hours, topics) and the value model. */
export const settings = apiOf(settingsApi);
