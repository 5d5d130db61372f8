import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedEnvelopeRequest } from '../../bot/email/email-envelope-signature.js';
import { readEmail } from '../../bot/email/read-email.js';
import { marketingConsent } from '../../server/consent/marketing-consent.js';
import { refuseOptedOut } from '../../server/consent/refuse-opted-out.js';
import { unsubscribeLink } from '../../server/consent/unsubscribe-link.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { composeMail } from '../stand-ins/client-mail.js';
import { startSmtpCapture, type SmtpCapture } from '../stand-ins/smtp-capture.js';
import { waitUntil } from '../wait-until.js';

/**
 * The unsubscribe link of a marketing mail through the running app: the page a person opens, the
 * one-click POST a mail program sends (RFC 8058), forged tokens, and what the opt-out then holds
 * back (an operator's reply by e-mail, the broadcast engine's marketing check).
 */
describe('unsubscribe link', () => {
  let api: TestApi;
  let admin: ApiClient;
  let smtp: SmtpCapture;
  let mailbox: { id: string; address: string; password: string };

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    admin = await api.as('admin');
    const address = `sales-${randomBytes(3).toString('hex')}@ecodom.test`;
    const password = 'app-password-1';
    smtp = await startSmtpCapture({ username: address, password });
    // Nobody answers IMAP on port 9: the mail arrives through the signed envelope webhook instead.
    const created = await admin.post('/channels', {
      type: 'email',
      name: 'ЭкоДом',
      address,
      imapHost: '127.0.0.1',
      imapPort: 9,
      imapSecure: false,
      smtpHost: smtp.host,
      smtpPort: smtp.port,
      smtpSecure: false,
      username: address,
      password,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    mailbox = { id: created.body.id, address, password };
  });

  afterAll(async () => {
    await api?.close();
    await smtp?.close();
  });

  /** A contact who wrote one mail to the mailbox: its id and the conversation. */
  async function mailFromClient(
    text = 'Сколько стоит дом?',
  ): Promise<{ contactId: string; conversationId: string; client: string }> {
    const client = `anna-${randomBytes(4).toString('hex')}@client.test`;
    const raw = await composeMail({ from: client, to: mailbox.address, subject: 'Дом', text });
    const { envelope } = await readEmail(raw, new Date());
    const request = signedEnvelopeRequest(envelope, mailbox.password);
    const response = await fetch(`${api.baseUrl}/hooks/email/${mailbox.id}`, {
      method: 'POST',
      headers: Object.fromEntries(
        Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ),
      body: request.rawBody,
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const contact = await waitUntil(
      'the mail’s contact',
      async () => (await api.db.collection('contacts').findOne({ emails: client })) ?? undefined,
    );
    const conversation = await waitUntil(
      'the mail’s conversation',
      async () => (await api.db.collection('conversations').findOne({ contactId: contact._id })) ?? undefined,
    );
    return { contactId: String(conversation.contactId), conversationId: conversation._id.toHexString(), client };
  }

  function pathOf(contactId: string, channel: 'email' | 'sms' = 'email'): string {
    return new URL(unsubscribeLink(api.app.config, contactId, channel)).pathname;
  }

  function open(path: string, language: string): Promise<Response> {
    return fetch(`${api.baseUrl}${path}`, { headers: { 'accept-language': language } });
  }

  /** What Gmail or Yandex posts when the person presses their own "Unsubscribe" (RFC 8058 3.1). */
  function oneClick(path: string): Promise<Response> {
    return fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
  }

  it('should show a page asking to confirm, in Russian or English as the browser prefers, that posts the opt-out', async () => {
    const { contactId } = await mailFromClient();
    const path = pathOf(contactId);

    const ru = await open(path, 'ru-RU,ru;q=0.9,en;q=0.8');
    expect(ru.status).toBe(200);
    expect(ru.headers.get('content-type')).toMatch(/^text\/html/);
    expect(ru.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await ru.text();
    expect(page).toContain('<html lang="ru">');
    expect(page).toContain('рассылки по e-mail');
    expect(page).toContain(`<form method="post" action="${path}">`);
    expect(page).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(page).toContain('Отписаться</button>');

    const en = await (await open(path, 'en-GB,en;q=0.9')).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Unsubscribe</button>');
    // Opening the page changes nothing: link checkers and previews open links too.
    expect((await marketingConsent(api.db, contactId, 'email')).allowed).toBe(true);
  });

  it('should opt the contact out of e-mail on the one-click POST, note it once, and refuse an operator’s reply', async () => {
    const { contactId, conversationId } = await mailFromClient();
    const path = pathOf(contactId);

    const first = await oneClick(path);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Готово');
    expect((await oneClick(path)).status).toBe(200);

    const contact = await admin.get(`/contacts/${contactId}`);
    expect(contact.body.consent.email).toMatchObject({ status: 'opted-out' });
    const timeline = await admin.get(`/contacts/${contactId}/timeline?limit=50`);
    const notes = timeline.body.items.filter((item: { kind: string }) => item.kind === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0].note).toMatchObject({
      kind: 'system',
      text: expect.stringMatching(/^Отписался от e-mail по ссылке в письме.* \/ Unsubscribed from e-mail/),
      meta: { channel: 'email', consent: 'opted-out', via: 'link' },
    });
    expect(await marketingConsent(api.db, contactId, 'email')).toEqual({
      allowed: false,
      reason: 'opted-out',
      via: 'link',
    });
    expect(await marketingConsent(api.db, contactId, 'sms')).toEqual({ allowed: true });

    const refused = await admin.post(`/conversations/${conversationId}/messages`, { text: 'Новая акция!' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'conflict', details: { reason: 'opted_out' } });
    expect(refused.body.error.message).toMatch(/opted out of email/);
    // What queueMessage is to say instead of the STOP wording on every channel (server/consent/refuse-opted-out.ts).
    await expect(refuseOptedOut(api.app.services, contactId, 'email')).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/opted out of email \(they used the unsubscribe link/),
      details: { reason: 'opted_out', via: 'link' },
    });
    await expect(refuseOptedOut(api.app.services, contactId, 'sms')).resolves.toBeUndefined();
  });

  it('should answer 400 with a message to a forged or damaged token, on the page and the POST, and change nothing', async () => {
    const { contactId } = await mailFromClient();
    const [, , signature] = pathOf(contactId).slice('/u/'.length).split('.');
    const otherContact = (await mailFromClient()).contactId;
    for (const path of [
      `/u/${otherContact}.email.${signature}`,
      `/u/${contactId}.sms.${signature}`,
      `/u/${contactId}.email.${'A'.repeat(22)}`,
      '/u/garbage',
      '/u/%E0%A4%A',
    ]) {
      const page = await open(path, 'en');
      expect(page.status, path).toBe(400);
      expect(await page.text()).toContain('This link is damaged');
      const posted = await oneClick(path);
      expect(posted.status, path).toBe(400);
    }
    for (const id of [contactId, otherContact]) {
      expect((await marketingConsent(api.db, id, 'email')).allowed).toBe(true);
      expect((await marketingConsent(api.db, id, 'sms')).allowed).toBe(true);
    }
  });

  it('should opt out a person who answers a mail with “Отписаться” alone, as the page advises', async () => {
    const { contactId } = await mailFromClient('Отписаться\n\n-- \nАнна');
    expect(await marketingConsent(api.db, contactId, 'email')).toEqual({
      allowed: false,
      reason: 'opted-out',
      via: 'keyword',
    });
  });

  it('should follow a contact merged since the mail went out to the one it became', async () => {
    const source = await mailFromClient();
    const survivor = await mailFromClient();
    const merged = await admin.post(`/contacts/${survivor.contactId}/merge`, { sourceId: source.contactId });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect((await oneClick(pathOf(source.contactId))).status).toBe(200);
    expect(await marketingConsent(api.db, survivor.contactId, 'email')).toMatchObject({ allowed: false });
  });
});
