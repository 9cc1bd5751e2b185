/**
 * Writing and previewing message templates: saved only when every field parses as Liquid (a 400
 * names the field and line), versioned on every change, previewed for a real contact. Reading and
 * deleting, which need no Liquid engine, are in templates.ts.
 */
import { type Contact, Email, Phone } from '../domain/contact.ts';
import { DeliveryRefused, ValidationFailed } from '../domain/errors.ts';
import type { CreateTemplate, Template, UpdateTemplate } from '../domain/template.ts';
import { checkTemplate, type Rendered, renderData, renderTemplate } from '../domain/template-render.ts';
import { Aggregates, describeValue } from '../domain/value.ts';
import type { Caller, Deps } from '../runtime/ports.ts';
import { createOnce, newResourceId } from './idempotency.ts';
import { getTemplate } from './templates.ts';

/**
 * The links a preview shows for the unsubscribe and preference tags. Real, signed per-recipient
 * links come with the recipient side (tracking and one-click unsubscribe).
 */
export const PREVIEW_LINKS = {
  unsubscribe: 'https://unsubscribe.example/preview',
  preferences: 'https://preferences.example/preview',
  nps: Array.from({ length: 11 }, (_, score) => `https://nps.example/preview/${score}`),
};

function assertValid(content: Parameters<typeof checkTemplate>[0]) {
  const issues = checkTemplate(content, 'body');
  if (issues.length > 0) throw new ValidationFailed(issues);
}

export async function createTemplate(
  deps: Pick<Deps, 'templates' | 'now' | 'newId'>,
  caller: Caller,
  input: CreateTemplate,
  idempotencyKey?: string,
): Promise<{ template: Template; created: boolean }> {
  assertValid(input);
  const now = deps.now().toISOString();
  const templateId = newResourceId('tp', 'template', caller.tenantId, deps.newId, idempotencyKey);
  const template: Template = { templateId, ...input, createdAt: now, updatedAt: now, version: 1 };
  const { value, created } = await createOnce(
    () => deps.templates.create(caller.tenantId, template).then(() => template),
    () => getTemplate(deps, caller, templateId),
    idempotencyKey,
  );
  return { template: value, created };
}

/** Changes a template's name or content (its channel is fixed); the version goes up by one. */
export async function updateTemplate(
  deps: Pick<Deps, 'templates' | 'now'>,
  caller: Caller,
  templateId: string,
  change: UpdateTemplate,
): Promise<Template> {
  const current = await getTemplate(deps, caller, templateId);
  const wrongChannel = current.channel === 'email' ? change.sms : change.email;
  if (wrongChannel) {
    throw new ValidationFailed([
      { field: `body.${current.channel === 'email' ? 'sms' : 'email'}`, message: `this is an ${current.channel} template` },
    ]);
  }
  const next: Template = { ...current, ...change, updatedAt: deps.now().toISOString(), version: current.version + 1 };
  assertValid(next);
  await deps.templates.replace(caller.tenantId, next, current.version);
  return next;
}

/** Renders a template for a real contact: its fields, attributes, value model and the workspace. */
export async function previewTemplate(
  deps: Pick<Deps, 'templates' | 'contacts' | 'settings' | 'now'>,
  caller: Caller,
  templateId: string,
  contactId: string,
  trigger?: Record<string, unknown>,
): Promise<Rendered & { templateId: string; contactId: string }> {
  const [template, found, model] = await Promise.all([
    getTemplate(deps, caller, templateId),
    deps.contacts.getWithAggregates(caller.tenantId, contactId),
    deps.settings.valueModel(caller.tenantId),
  ]);
  if (!found) throw new ValidationFailed([{ field: 'body.contactId', message: 'names no contact' }]);
  const aggregates = found.aggregates === undefined ? undefined : Aggregates.parse(found.aggregates);
  const value = describeValue(aggregates, model.boundaries, model.settings, deps.now());
  const rendered = await renderTemplate(template, renderData(found.contact, value, { id: caller.tenantId }, PREVIEW_LINKS, trigger));
  return { ...rendered, templateId, contactId };
}

/** What happened to one test recipient: its message id, or why the service refused it. */
export type TestSendOutcome = { to: string; messageId: string } | { to: string; error: string };

/** Test sends per call: enough for a team to check a message, not a way around campaigns. */
export const MAX_TEST_RECIPIENTS = 5;

/**
 * Sends a template to given addresses (email) or numbers (SMS), rendered for a real contact or,
 * without one, for a sample contact, with "[Test]" before the subject. It needs the workspace's
 * sender identity (PUT /settings/sending): without one it is a 400 saying so.
 */
export async function testSendTemplate(
  deps: Pick<Deps, 'templates' | 'contacts' | 'settings' | 'email' | 'sms' | 'now'>,
  caller: Caller,
  templateId: string,
  request: { to: string[]; contactId?: string | undefined },
): Promise<{ sent: TestSendOutcome[] }> {
  const [template, sending] = await Promise.all([getTemplate(deps, caller, templateId), deps.settings.sending(caller.tenantId)]);
  if (template.channel === 'email' && !sending.email) {
    throw new ValidationFailed([{ field: 'settings.email.from', message: 'set the sender identity first (PUT /settings/sending)' }]);
  }
  // Without an identity AWS would pick any number of the account: never send from one not chosen.
  if (template.channel === 'sms' && !sending.sms) {
    throw new ValidationFailed([
      { field: 'settings.sms.originationIdentity', message: 'set the SMS origination identity first (PUT /settings/sending)' },
    ]);
  }
  const recipients = request.to.map((to, i) => {
    const parsed = template.channel === 'email' ? Email.safeParse(to) : Phone.safeParse(to);
    if (!parsed.success) throw new ValidationFailed([{ field: `body.to.${i}`, message: parsed.error.issues[0]?.message ?? 'invalid' }]);
    return parsed.data;
  });
  const rendered = request.contactId
    ? await previewTemplate(deps, caller, templateId, request.contactId)
    : await renderTemplate(template, renderData(sampleContact(deps.now()), undefined, { id: caller.tenantId }, PREVIEW_LINKS));
  // One outcome per recipient: a refusal (an unverified sender, a bad number) is reported for that
  // recipient and the others still go out, so a retry is never needed for the ones that went.
  const sent: TestSendOutcome[] = [];
  for (const to of recipients) {
    try {
      const { messageId } =
        rendered.channel === 'email'
          ? await deps.email.send({
              from: sending.email?.from as string,
              ...(sending.email?.fromName ? { fromName: sending.email.fromName } : {}),
              to,
              subject: `[Test] ${rendered.subject}`,
              html: rendered.html,
              text: rendered.text,
              ...(sending.email?.replyTo ? { replyTo: sending.email.replyTo } : {}),
            })
          : await deps.sms.send({
              to,
              body: rendered.body,
              originationIdentity: sending.sms?.originationIdentity as string,
              messageType: 'TRANSACTIONAL',
            });
      sent.push({ to, messageId });
    } catch (error) {
      if (!(error instanceof DeliveryRefused)) throw error;
      sent.push({ to, error: error.message });
    }
  }
  return { sent };
}

/** The contact a test send renders for when none is named. */
function sampleContact(now: Date): Contact {
  const at = now.toISOString();
  return {
    contactId: 'ct_sample',
    email: 'sample@example.com',
    firstName: 'Sam',
    lastName: 'Sample',
    attributes: {},
    consent: { email: { status: 'subscribed' }, sms: { status: 'subscribed' } },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}
