/**
 * Email and SMS templates: their schemas. Rendering, the syntax check, HTML-to-text and SMS
 * segment counting (which need the Liquid engine) live in template-render.ts, so functions that
 * only store or list templates do not bundle the engine.
 */
import * as z from 'zod';
import { Channel } from './contact.ts';

export const EmailContent = z.object({
  subject: z.string().min(1).max(998),
  preheader: z.string().max(500).optional(),
  html: z.string().min(1).max(500_000),
  /** Generated from the HTML when absent. */
  text: z.string().max(500_000).optional(),
});
export type EmailContent = z.infer<typeof EmailContent>;

export const SmsContent = z.object({ body: z.string().min(1).max(1600) });
export type SmsContent = z.infer<typeof SmsContent>;

export const TemplateName = z.string().trim().min(1, 'must not be empty').max(200);
export type TemplateName = z.infer<typeof TemplateName>;

export const Template = z.object({
  templateId: z.string(),
  name: TemplateName,
  description: z.string().max(1000).optional(),
  channel: Channel,
  email: EmailContent.optional(),
  sms: SmsContent.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Incremented on every change; parsed templates are cached by (templateId, version). */
  version: z.number().int(),
});
export type Template = z.infer<typeof Template>;

export const CreateTemplate = z
  .object({
    name: TemplateName,
    description: z.string().max(1000).optional(),
    channel: Channel,
    email: EmailContent.optional(),
    sms: SmsContent.optional(),
  })
  .superRefine((t, ctx) => {
    const own = t.channel;
    const other = own === 'email' ? 'sms' : 'email';
    if (t[own] === undefined) ctx.addIssue({ code: 'custom', message: `${own} content is required for an ${own} template`, path: [own] });
    if (t[other] !== undefined)
      ctx.addIssue({ code: 'custom', message: `${other} content is not allowed in an ${own} template`, path: [other] });
  });
export type CreateTemplate = z.infer<typeof CreateTemplate>;

export const UpdateTemplate = z
  .object({
    name: TemplateName,
    description: z.string().max(1000).optional(),
    email: EmailContent,
    sms: SmsContent,
  })
  .partial()
  .refine((u) => Object.keys(u).length > 0, { message: 'give a name, description, email or sms to change', path: ['name'] });
export type UpdateTemplate = z.infer<typeof UpdateTemplate>;
