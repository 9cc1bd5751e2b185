/** The contacts capability's client, shared by the contact pages (and the list pages' member search). */
import { contactApi } from '@shared/api/contract/contacts.ts';
import { apiOf } from '../../api/client.ts';

export const contacts = apiOf(contactApi);
