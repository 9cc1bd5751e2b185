/**
 * The console's pages: one entry per route, each loaded on demand (its own JavaScript chunk, with
 * its capability's schemas and any heavy library, such as charts, inside it). `nav` puts a page
 * in the side navigation. To add a page: write `pages/<area>/<name>-page.tsx` with a default
 * export and add a line here (docs/console.md, "Adding a page").
 */
import type { ComponentType } from 'react';

export interface PageRoute {
  path: string;
  load: () => Promise<{ default: ComponentType }>;
  /** Shown in the side navigation, in this order. */
  nav?: string;
}

export const pages: PageRoute[] = [
  { path: 'contacts', nav: 'Contacts', load: () => import('../pages/contacts/contacts-page.tsx') },
  { path: 'contacts/:contactId', load: () => import('../pages/contacts/contact-page.tsx') },
  { path: 'contacts/:contactId/edit', load: () => import('../pages/contacts/contact-edit-page.tsx') },
  { path: 'imports/new', nav: 'Import contacts', load: () => import('../pages/imports/import-page.tsx') },
  { path: 'imports/:importId', load: () => import('../pages/imports/import-job-page.tsx') },
  { path: 'lists', nav: 'Lists', load: () => import('../pages/lists/lists-page.tsx') },
  { path: 'lists/:listId', load: () => import('../pages/lists/list-page.tsx') },
  { path: 'segments', nav: 'Segments', load: () => import('../pages/segments/segments-page.tsx') },
  { path: 'segments/new', load: () => import('../pages/segments/segment-page.tsx') },
  { path: 'segments/:segmentId', load: () => import('../pages/segments/segment-page.tsx') },
  { path: 'templates', nav: 'Templates', load: () => import('../pages/templates/templates-page.tsx') },
  { path: 'templates/:templateId', load: () => import('../pages/templates/template-page.tsx') },
  { path: 'campaigns', nav: 'Campaigns', load: () => import('../pages/campaigns/campaigns-page.tsx') },
  { path: 'campaigns/new', load: () => import('../pages/campaigns/campaign-wizard-page.tsx') },
  { path: 'campaigns/:campaignId', load: () => import('../pages/campaigns/campaign-page.tsx') },
  { path: 'campaigns/:campaignId/edit', load: () => import('../pages/campaigns/campaign-wizard-page.tsx') },
  { path: 'triggers', nav: 'Triggers', load: () => import('../pages/triggers/triggers-page.tsx') },
  { path: 'triggers/new', load: () => import('../pages/triggers/trigger-edit-page.tsx') },
  { path: 'triggers/:campaignId', load: () => import('../pages/triggers/trigger-page.tsx') },
  { path: 'triggers/:campaignId/edit', load: () => import('../pages/triggers/trigger-edit-page.tsx') },
  { path: 'reports', nav: 'Reports', load: () => import('../pages/reports/reports-page.tsx') },
  { path: 'reports/campaigns/:campaignId', load: () => import('../pages/reports/campaign-report-page.tsx') },
  { path: 'reports/base', load: () => import('../pages/reports/base-report-page.tsx') },
  { path: 'reports/basket-rules', load: () => import('../pages/reports/basket-rules-page.tsx') },
  { path: 'settings', nav: 'Settings', load: () => import('../pages/settings/settings-index.tsx') },
  { path: 'settings/sending', load: () => import('../pages/settings/sending-page.tsx') },
  { path: 'settings/topics', load: () => import('../pages/settings/topics-page.tsx') },
  { path: 'settings/lifecycle', load: () => import('../pages/settings/lifecycle-page.tsx') },
  { path: 'settings/webhooks', load: () => import('../pages/settings/webhooks-page.tsx') },
  { path: 'settings/webhooks/:webhookId', load: () => import('../pages/settings/webhook-page.tsx') },
  { path: 'settings/suppressions', load: () => import('../pages/settings/suppressions-page.tsx') },
];

/** Where `/` leads. */
export const HOME = '/contacts';
