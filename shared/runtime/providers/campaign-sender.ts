/** What both campaign senders need besides their channel's port (campaign-email, campaign-sms). */
import { LinksEnv, loadEnv } from '../../config/env.ts';
import { campaignStore, sendStore } from './campaigns.ts';
import { contactStore } from './contacts.ts';
import { dynamoPacer } from './pacer.ts';
import { sqsQueue } from './queue.ts';
import { settingsStore } from './settings.ts';
import { templateStore } from './templates.ts';

export const senderProviders = {
  campaigns: campaignStore,
  sends: sendStore,
  contacts: contactStore,
  templates: templateStore,
  settings: settingsStore,
  pacer: dynamoPacer,
  queue: sqsQueue,
};

/** The links' base URL, read once per cold start. */
export const publicUrl = () => loadEnv(LinksEnv).PUBLIC_URL;
