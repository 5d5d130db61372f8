import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/free-port.js';
import {
  GRAPH_VERSION,
  messagePayload,
  signedWebhook,
  startWhatsappGraphApi,
  whatsappMessage,
  type WhatsappGraphApi,
} from '../stand-ins/whatsapp-graph-api.js';
import { waitUntil } from '../wait-until.js';
import { recordsOf, startFrontDoorApp, type FrontDoorApp } from './front-door-fixture.js';

/**
 * The window maker's qualification on WhatsApp: signed Cloud API webhooks in, the bot's questions
 * and reply buttons as the Graph API stand-in received them. WhatsApp gives the client's number
 * and profile name, so the bot asks neither.
 */
describe('front-door qualification on whatsapp', () => {
  let app: FrontDoorApp;
  let graph: WhatsappGraphApi;
  let account: { hookPath: string; appSecret: string; phoneNumberId: string };

  beforeAll(async () => {
    const port = await freePort();
    app = await startFrontDoorApp({ WHATSAPP_GRAPH_URL: `http://127.0.0.1:${port}/${GRAPH_VERSION}` });
    const fields = {
      phoneNumberId: String(randomInt(10 ** 13, 10 ** 14)),
      accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
      appSecret: randomBytes(16).toString('hex'),
      verifyToken: randomBytes(12).toString('base64url'),
    };
    const admin = await app.api.as('admin');
    const created = await admin.post('/channels', { type: 'whatsapp', name: 'Продажи', ...fields });
    expect(created.status).toBe(201);
    account = { hookPath: new URL(created.body.webhookUrl).pathname, ...fields };
    graph = await startWhatsappGraphApi({ phoneNumberId: fields.phoneNumberId, accessToken: fields.accessToken, port });
  }, 60_000);

  afterAll(async () => {
    await graph?.close();
    await app?.close();
  });

  it('should qualify a client by reply buttons and free text without asking the name or number WhatsApp gave', async () => {
    const sender = { waId: `79${randomInt(10 ** 8, 10 ** 9)}`, name: 'Светлана' };
    const deliver = async (message: Record<string, unknown> & { type: string }) => {
      const request = signedWebhook(account.appSecret, messagePayload(account.phoneNumberId, sender, message));
      const response = await fetch(`${app.api.baseUrl}${account.hookPath}`, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        ),
        body: request.rawBody,
      });
      expect(response.status).toBe(200);
    };
    const received = (count: number) =>
      waitUntil(`${count} bot messages`, () => {
        const sent = graph.sent().filter((message) => message.chatId === sender.waId);
        return sent.length >= count ? sent : undefined;
      });

    await deliver(whatsappMessage.text('Добрый день'));
    const [greeting, product] = await received(2);
    expect(greeting!.text).toContain('Здравствуйте');
    expect(product).toMatchObject({ text: 'Что вас интересует?', buttons: ['Окна', 'Балкон', 'Двери'] });
    await deliver(whatsappMessage.buttonReply('balcony', 'Балкон', product!.externalMessageId));
    expect((await received(3))[2]!.text).toBe('Сколько окон или проёмов нужно?');
    await deliver(whatsappMessage.text('2'));
    expect((await received(4))[3]!.text).toBe('Напишите адрес или район, где нужен замер.');
    await deliver(whatsappMessage.text('мкр. Северный, д. 3'));
    expect((await received(5))[4]!.text).toContain('Когда вам удобно встретиться с замерщиком?');
    await deliver(whatsappMessage.text('послезавтра утром'));
    expect((await received(6))[5]!.text).toContain('Спасибо, Светлана! Записал: 2 шт., мкр. Северный, д. 3.');

    const { contact, deal } = await waitUntil('the lead is qualified', async () => {
      const records = await recordsOf(app.api, sender.waId);
      return records.deal?.stageId === 'qualified' ? records : undefined;
    });
    expect(contact.phones.map((phone) => phone.e164)).toEqual([`+${sender.waId}`]);
    expect(deal!.customFields).toMatchObject({
      product: 'balcony',
      window_count: 2,
      measurement_address: 'мкр. Северный, д. 3',
    });
    expect(String(deal!.customFields?.desired_date)).toMatch(/T10:00:00\+03:00$/);
  });
});
