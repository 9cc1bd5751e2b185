/** Contacts: upsert, read, search, change, erase, export. */
import * as z from 'zod';
import { Contact, ContactPatch, ContactUpsert } from '../../domain/contact.ts';
import { ContactExport } from '../../domain/export.ts';
import { ContactValue } from '../../domain/value.ts';
import { Cursor, Id, Limit, type Operation, PageOf } from './common.ts';

export const ContactPage = PageOf(Contact);
export const ContactWithValue = Contact.extend({ value: ContactValue });
const ContactPath = z.object({ contactId: Id });

export const contactApi = {
  upsertContact: {
    summary: 'Create or update a contact by email, phone or externalId',
    body: ContactUpsert,
    response: Contact,
    status: 201,
    conflict: 'The identifiers belong to different contacts, or a concurrent change won (retry)',
  },
  listContacts: {
    summary: 'List contacts, or search by email or phone prefix',
    query: z.object({
      limit: Limit,
      cursor: Cursor,
      email: z.string().min(1).max(254).optional(),
      // An unencoded + in a query string arrives as a space; accept it, or no + at all.
      phone: z
        .string()
        .transform((p) => `+${p.trim().replace(/^\+/, '')}`)
        .pipe(z.string().regex(/^\+\d{1,15}$/, 'must be digits, optionally after a +'))
        .optional(),
    }),
    response: ContactPage,
  },
  getContact: {
    summary: 'Get a contact with its value model (aggregates, RFM, tier, lifecycle)',
    path: ContactPath,
    response: ContactWithValue,
  },
  updateContact: {
    conflict: 'A new identifier belongs to another contact, or a concurrent change won (retry)',
    summary: 'Change a contact (fields, attributes, consent)',
    path: ContactPath,
    body: ContactPatch,
    response: Contact,
  },
  eraseContact: { summary: 'Erase a contact and its memberships (GDPR)', path: ContactPath, status: 204 },
  exportContact: { summary: 'Export everything held about a contact', path: ContactPath, response: ContactExport },
} as const satisfies Record<string, Operation>;
