/** What the recipient-facing routes need: tokens, the send records, campaigns (names, counters), contacts (consent). */
import { campaignStore, sendStore } from './campaigns.ts';
import { contactStore } from './contacts.ts';
import { trackingTokens } from './tokens.ts';

export const recipientProviders = { tokens: trackingTokens, sends: sendStore, campaigns: campaignStore, contacts: contactStore };
