/** Message templates (email and SMS) and their preview for a contact. */
import * as z from 'zod';
import { CreateTemplate, Template, UpdateTemplate } from '../../domain/template.ts';
import { Cursor, Id, IdempotencyHeaders, Limit, type Operation, PageOf } from './common.ts';

export const TemplatePage = PageOf(Template);
const TemplatePath = z.object({ templateId: Id });

export const TemplatePreview = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('email'),
    templateId: z.string(),
    contactId: z.string(),
    subject: z.string(),
    preheader: z.string().optional(),
    html: z.string(),
    text: z.string(),
  }),
  z.object({
    channel: z.literal('sms'),
    templateId: z.string(),
    contactId: z.string(),
    body: z.string(),
    encoding: z.enum(['GSM-7', 'UCS-2']),
    characters: z.number().int(),
    segments: z.number().int(),
  }),
]);

export const templateApi = {
  createTemplate: {
    summary: 'Save an email or SMS template; a Liquid syntax error is a 400 naming the field and line',
    headers: IdempotencyHeaders,
    body: CreateTemplate,
    response: Template,
    status: 201,
  },
  listTemplates: { summary: 'List templates', query: z.object({ limit: Limit, cursor: Cursor }), response: TemplatePage },
  getTemplate: { summary: 'Get a template', path: TemplatePath, response: Template },
  updateTemplate: {
    summary: 'Rename a template or change its content (its channel is fixed)',
    path: TemplatePath,
    body: UpdateTemplate,
    response: Template,
    conflict: 'The template was changed or deleted meanwhile (retry)',
  },
  deleteTemplate: { summary: 'Delete a template', path: TemplatePath, status: 204 },
  previewTemplate: {
    summary: 'Render a template for a real contact (and, for SMS, its encoding and segment count)',
    path: TemplatePath,
    body: z.object({
      contactId: Id,
      /** Sample data for a triggered message's `trigger` variable (`{"event": {...}, "recommendations": [...]}`). */
      trigger: z
        .record(z.string(), z.unknown())
        .refine((t) => JSON.stringify(t).length <= 16_384, 'may take at most 16384 characters as JSON')
        .optional(),
    }),
    response: TemplatePreview,
  },
  testSendTemplate: {
    summary: 'Send a template to up to 5 addresses or numbers, rendered for a contact or a sample one',
    path: TemplatePath,
    body: z.object({ to: z.array(z.string().min(1).max(254)).min(1).max(5), contactId: Id.optional() }),
    response: z.object({
      sent: z.array(z.union([z.object({ to: z.string(), messageId: z.string() }), z.object({ to: z.string(), error: z.string() })])),
    }),
  },
} as const satisfies Record<string, Operation>;
