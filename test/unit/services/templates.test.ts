/** Template use cases over in-memory fakes of the ports. */
import { describe, expect, it } from 'vitest';
import { Conflict, DeliveryRefused, ValidationFailed } from '../../../shared/domain/errors.ts';
import { createTemplate, testSendTemplate, updateTemplate } from '../../../shared/services/template-authoring.ts';
import { getTemplate } from '../../../shared/services/templates.ts';
import { fakeClock, fakeDeps } from '../../helpers/fakes.ts';

const caller = { tenantId: 't-templates' };
const email = { name: 'Hello', channel: 'email' as const, email: { subject: 'Hi {{ contact.firstName }}', html: '<p>Hi</p>' } };

describe('templates', () => {
  it('creates once per Idempotency-Key, and versions every change', async () => {
    // Arrange
    const deps = fakeDeps(fakeClock().now);
    // Act
    const first = await createTemplate(deps, caller, email, 'key-1');
    const again = await createTemplate(deps, caller, email, 'key-1');
    const changed = await updateTemplate(deps, caller, first.template.templateId, { name: 'Hello again' });
    // Assert
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.template.templateId).toBe(first.template.templateId);
    expect(changed.version).toBe(2);
    expect((await getTemplate(deps, caller, first.template.templateId)).name).toBe('Hello again');
  });

  it('refuses content for the other channel and a broken change, keeping the stored version', async () => {
    const deps = fakeDeps(fakeClock().now);
    const { template } = await createTemplate(deps, caller, email);
    const wrong = await updateTemplate(deps, caller, template.templateId, { sms: { body: 'x' } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ValidationFailed);
    expect((wrong as ValidationFailed).issues[0]?.field).toBe('body.sms');
    const broken = await updateTemplate(deps, caller, template.templateId, { email: { subject: 'ok', html: '{% if %}' } }).catch(
      (e: unknown) => e,
    );
    expect(broken).toBeInstanceOf(ValidationFailed);
    expect((broken as ValidationFailed).issues[0]?.field).toBe('body.email.html');
    expect((await getTemplate(deps, caller, template.templateId)).version).toBe(1);
  });

  it('refuses a change made against a version that is no longer current (409)', async () => {
    const deps = fakeDeps(fakeClock().now);
    const { template } = await createTemplate(deps, caller, email);
    await updateTemplate(deps, caller, template.templateId, { name: 'one' });
    await expect(deps.templates.replace(caller.tenantId, { ...template, name: 'stale', version: 2 }, 1)).rejects.toBeInstanceOf(Conflict);
  });
});

describe('test sends', () => {
  it('reports a refused recipient and still sends to the others; a template that cannot render is a 400, not a 500', async () => {
    // Arrange
    const deps = fakeDeps(fakeClock().now);
    await deps.settings.saveSending(caller.tenantId, { email: { from: 'news@shop.example', fromName: 'Zoë Shop' } });
    const { template } = await createTemplate(deps, caller, email);
    const send = deps.email.send;
    deps.email.send = async (message) => {
      if (message.to === 'bounce@shop.example') throw new DeliveryRefused('MessageRejected: address refused');
      return send(message);
    };
    // Act
    const result = await testSendTemplate(deps, caller, template.templateId, {
      to: ['a@shop.example', 'bounce@shop.example', 'b@shop.example'],
    });
    // Assert
    expect(result.sent).toEqual([
      { to: 'a@shop.example', messageId: 'em-1' },
      { to: 'bounce@shop.example', error: 'MessageRejected: address refused' },
      { to: 'b@shop.example', messageId: 'em-2' },
    ]);
    expect(deps.delivered.emails[0]).toMatchObject({ from: 'news@shop.example', fromName: 'Zoë Shop', subject: '[Test] Hi Sam' });
    const broken = (
      await createTemplate(deps, caller, {
        ...email,
        email: { subject: 'x', html: '{{ contact.firstName | url_decode }}{{ "%" | url_decode }}' },
      })
    ).template;
    const error = await testSendTemplate(deps, caller, broken.templateId, { to: ['a@shop.example'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues[0]?.field).toBe('template.email.html');
  });
});
