/** Template use cases over in-memory fakes of the ports. */
import { describe, expect, it } from 'vitest';
import { Conflict, ValidationFailed } from '../../../shared/domain/errors.ts';
import { createTemplate, updateTemplate } from '../../../shared/services/template-authoring.ts';
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
