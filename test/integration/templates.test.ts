/** Templates over the local platform: saved only when they parse, versioned, previewed for a real contact. */
import { describe, expect, it } from 'vitest';
import { aContact } from '../helpers/builders.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform();

describe('templates', () => {
  it('saves an email template, previews it for a contact with its value model, and versions every change', async () => {
    // Arrange
    const contact = (await t.api('POST', '/contacts', aContact({ firstName: 'Ada', attributes: { plan: 'pro' } }))).body;
    await t.api('POST', '/events', {
      events: [
        { eventId: `tp-${contact.contactId}`, type: 'purchase', contactId: contact.contactId, orderId: 'tp-1', total: 80, currency: 'EUR' },
      ],
    });
    // Act
    const created = await t.api('POST', '/templates', {
      name: 'Welcome back',
      channel: 'email',
      email: {
        subject: 'Hi {{ contact.firstName | default: "there" }}',
        html: '<p>Hello {{ contact.firstName }}, you are {{ value.lifecycle }} on {{ contact.attributes.plan }}.</p><p><a href="{% unsubscribe_url %}">Unsubscribe</a></p>',
      },
    });
    const preview = await t.api('POST', `/templates/${created.body.templateId}/preview`, { contactId: contact.contactId });
    // Assert
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ channel: 'email', subject: 'Hi Ada' });
    expect(preview.body.html).toContain('Hello Ada, you are new on pro.');
    expect(preview.body.text).toContain('Hello Ada, you are new on pro.');
    // A triggered message's template previews with sample trigger data.
    const crossSell = await t.api('POST', '/templates', {
      name: 'Goes with',
      channel: 'email',
      email: { subject: 'With your {{ trigger.event.items[0].category }}: {{ trigger.recommendations[0].item }}', html: '<p>x</p>' },
    });
    const sample = { event: { items: [{ category: 'shoes' }] }, recommendations: [{ item: 'socks' }] };
    const triggered = await t.api('POST', `/templates/${crossSell.body.templateId}/preview`, {
      contactId: contact.contactId,
      trigger: sample,
    });
    expect(triggered.body.subject).toBe('With your shoes: socks');
    const renamed = await t.api('PATCH', `/templates/${created.body.templateId}`, { name: 'Welcome' });
    expect(renamed.body).toMatchObject({ name: 'Welcome', version: 2 });
    expect((await t.api('GET', '/templates')).body.items.map((x: { templateId: string }) => x.templateId)).toContain(
      created.body.templateId,
    );
    expect((await t.api('DELETE', `/templates/${created.body.templateId}`)).status).toBe(204);
    expect((await t.api('GET', `/templates/${created.body.templateId}`)).status).toBe(404);
  });

  it('refuses a Liquid syntax error with a 400 naming the field and the line', async () => {
    const res = await t.api('POST', '/templates', {
      name: 'Broken',
      channel: 'email',
      email: { subject: 'ok', html: '<p>one</p>\n{% if contact.firstName %}<p>two</p>' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].field).toBe('body.email.html');
    expect(res.body.error.message).toMatch(/line 2/);
  });

  it('previews an SMS with its encoding and segment count', async () => {
    const contact = (await t.api('POST', '/contacts', aContact({ firstName: 'Zoë' }))).body;
    const created = await t.api('POST', '/templates', {
      name: 'Flash sale',
      channel: 'sms',
      sms: { body: 'Hi {{ contact.firstName }}, 20% off today only!' },
    });
    const preview = await t.api('POST', `/templates/${created.body.templateId}/preview`, { contactId: contact.contactId });
    expect(preview.body).toMatchObject({ channel: 'sms', body: 'Hi Zoë, 20% off today only!', encoding: 'UCS-2', segments: 1 });
    const unknown = await t.api('POST', `/templates/${created.body.templateId}/preview`, { contactId: 'ct_none' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues[0].field).toBe('body.contactId');
  });
});

describe('sending settings', () => {
  it('stores the sender identities and limits, refuses bad ones by field, and starts empty', async () => {
    expect((await t.api('GET', '/settings/sending')).body).toEqual({});
    const settings = {
      email: { from: 'news@shop.example', fromName: 'Shop' },
      frequencyCap: { messages: 3, withinDays: 7 },
      quietHours: { start: '21:00', end: '08:00' },
    };
    expect((await t.api('PUT', '/settings/sending', settings)).status).toBe(200);
    expect((await t.api('GET', '/settings/sending')).body).toEqual(settings);
    const bad = await t.api('PUT', '/settings/sending', { email: { from: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe('body.email.from');
  });
});

describe('test sends', () => {
  it('sends a template to given addresses through SES, after the sender identity is set', async () => {
    const contact = (await t.api('POST', '/contacts', aContact({ firstName: 'Grace' }))).body;
    const template = (
      await t.api('POST', '/templates', {
        name: 'Test me',
        channel: 'email',
        email: { subject: 'Hi {{ contact.firstName }}', html: '<p>Hi {{ contact.firstName }}</p>' },
      })
    ).body;
    await t.api('PUT', '/settings/sending', {}); // no sender identity
    const before = await t.api('POST', `/templates/${template.templateId}/test`, { to: ['team@shop.example'] });
    expect(before.status).toBe(400);
    expect(before.body.error.details.issues[0].field).toBe('settings.email.from');
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example', fromName: 'Shop', replyTo: 'help@shop.example' } });
    const sent = await t.api('POST', `/templates/${template.templateId}/test`, {
      to: ['team@shop.example', 'Boss@Shop.example'],
      contactId: contact.contactId,
    });
    expect(sent.status).toBe(200);
    expect(sent.body.sent.map((s: { to: string }) => s.to)).toEqual(['team@shop.example', 'boss@shop.example']);
    const store = (await (await fetch(`${t.platform.mailboxUrl}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] } }[];
    };
    expect(
      store.emails
        .filter((e) => e.subject === '[Test] Hi Grace')
        .flatMap((e) => e.destination.to)
        .sort(),
    ).toEqual(['boss@shop.example', 'team@shop.example']);
    const bad = await t.api('POST', `/templates/${template.templateId}/test`, { to: ['not an address'] });
    expect(bad.body.error.details.issues[0].field).toBe('body.to.0');
  });

  it('sends an SMS template to given numbers, rendered for a sample contact', async () => {
    const template = (await t.api('POST', '/templates', { name: 'SMS test', channel: 'sms', sms: { body: 'Hi {{ contact.firstName }}!' } }))
      .body;
    await t.api('PUT', '/settings/sending', {});
    const before = await t.api('POST', `/templates/${template.templateId}/test`, { to: ['+44 7700 900456'] });
    expect(before.body.error.details.issues[0].field).toBe('settings.sms.originationIdentity');
    await t.api('PUT', '/settings/sending', { sms: { originationIdentity: '+447700900000' } });
    const sent = await t.api('POST', `/templates/${template.templateId}/test`, { to: ['+44 7700 900456'] });
    expect(sent.status).toBe(200);
    expect(t.platform.texts.find((x) => x.to === '+447700900456')?.from).toBe('+447700900000');
    expect(t.platform.texts.find((x) => x.to === '+447700900456')?.body).toBe('Hi Sam!');
  });
});
