import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/free-port.js';
import { startTestApi, TEST_PASSWORD, type ApiClient, type TestApi } from '../api/api-harness.js';
import { composeMail } from '../stand-ins/client-mail.js';
import { dovecotUnavailable, startDovecot, type Dovecot } from '../stand-ins/dovecot.js';
import { postWebhook } from '../stand-ins/post-webhook.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import {
  startTwilioApi,
  twilioAuthToken,
  twilioPayloads,
  twilioSid,
  twilioWebhook,
  type TwilioApi,
} from '../stand-ins/twilio-api.js';
import { waitUntil } from '../wait-until.js';
import { connectTestMailbox, type TestMailbox } from './email-test-mailbox.js';

/**
 * The "done when" of the channels work, end to end through one running app: one person writes to
 * the Telegram bot and shares their contact card there, then e-mails the company mailbox (a real
 * dovecot), sends an SMS and calls (Twilio webhooks, signed as Twilio signs them). Her own card
 * gives the contact her phone; an operator of the team that runs the channels adds her e-mail, as
 * they would in the inbox. The person ends as one contact with one timeline holding all of it in time order,
 * and the operator answers each conversation on its own channel: the Telegram Bot API stand-in,
 * the SMTP stand-in and the Twilio stand-in receive the replies; the call refuses one.
 */

const PUBLIC_URL = 'https://crm.example.ru';
/** The company's Twilio number: SMS come to it and are sent from it, calls ring on it. */
const OUR_NUMBER = '+74951234567';

interface MessageView {
  id: string;
  conversationId: string;
  contactId: string;
  channel: string;
  direction: 'in' | 'out';
  status: string;
  externalId?: string;
  sentAt?: string;
  createdAt: string;
  content: Record<string, unknown> & { kind: string };
}

interface TimelineItem {
  kind: string;
  id: string;
  at: string;
  message?: MessageView;
  note?: { text: string; createdAt: string };
}

interface ConversationView {
  id: string;
  contactId: string;
  channel: string;
  channelAccountId: string;
  teamIds: string[];
}

const unavailable = await dovecotUnavailable();
if (unavailable) console.warn(`one-contact-every-channel skipped: ${unavailable}`);

describe.skipIf(Boolean(unavailable))(
  `one contact on every channel${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let telegram: TelegramBotApiStandIn;
    let dovecot: Dovecot;
    let twilio: TwilioApi;
    let mailbox: TestMailbox | undefined;
    let api: TestApi;
    let admin: ApiClient;
    const twilioAccount = { accountSid: twilioSid('AC'), authToken: twilioAuthToken() };

    beforeAll(async () => {
      telegram = await startTelegramBotApi();
      dovecot = await startDovecot();
      const twilioPort = await freePort();
      api = await startTestApi({
        env: {
          PUBLIC_URL,
          TELEGRAM_API_ROOT: telegram.apiRoot,
          TWILIO_API_ROOT: `http://127.0.0.1:${twilioPort}`,
          // A Redis database of the suite's own, so no other suite's workers take this app's jobs.
          REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}`,
        },
      });
      // One Twilio account (one number) for both SMS and voice, as a small company has it.
      twilio = await startTwilioApi({
        ...twilioAccount,
        senders: [OUR_NUMBER],
        port: twilioPort,
        webhookVia: api.baseUrl,
      });
      admin = await api.as('admin');
    });

    afterAll(async () => {
      await mailbox?.smtp.close();
      await api?.close();
      await twilio?.close();
      await dovecot?.stop();
      await telegram?.close();
    });

    /** Waits until the wall clock is in a later whole second than `after`: second-precision stamps then differ. */
    async function nextSecond(after: number): Promise<void> {
      const target = (Math.floor(after / 1000) + 1) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, target - Date.now() + 20)));
    }

    async function expectOk(client: ApiClient, path: string) {
      const response = await client.get(path);
      expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(200);
      return response.body;
    }

    it('should keep a person who wrote on Telegram, e-mailed, sent an SMS and called as one contact with one timeline, answered on each channel', async () => {
      // --- The company: a sales team whose operator works the inbox, and its four channels.
      const team = await admin.post('/teams', { name: `Продажи ${randomBytes(3).toString('hex')}` });
      expect(team.status).toBe(201);
      const teamIds = [team.body.id as string];
      const operatorUser = await api.createUser({ role: 'operator', name: 'Ирина Оператор', teamIds });
      const operator = await api.login(operatorUser.email, TEST_PASSWORD);

      const botSecret = randomBytes(18).toString('base64url');
      const bot = await admin.post('/channels', {
        type: 'telegram',
        name: 'ЭкоДом бот',
        token: telegram.token,
        webhookSecret: botSecret,
        teamIds,
      });
      expect(bot.status, JSON.stringify(bot.body)).toBe(201);
      mailbox = await connectTestMailbox(admin, dovecot, { teamIds });
      const sms = await admin.post('/channels', {
        type: 'sms',
        name: 'SMS',
        provider: 'twilio',
        ...twilioAccount,
        from: OUR_NUMBER,
        teamIds,
      });
      expect(sms.status, JSON.stringify(sms.body)).toBe(201);
      const voice = await admin.post('/channels', {
        type: 'voice',
        name: 'Телефония',
        provider: 'twilio',
        ...twilioAccount,
        teamIds,
      });
      expect(voice.status, JSON.stringify(voice.body)).toBe(201);

      // --- The person: one Telegram user, one phone, one e-mail address.
      const chatId = randomInt(100_000_000, 999_999_999);
      const phone = `+79${randomInt(10 ** 8, 10 ** 9)}`;
      const typedPhone = `+7 ${phone.slice(2, 5)} ${phone.slice(5, 8)}-${phone.slice(8, 10)}-${phone.slice(10)}`;
      const email = `anna-${randomBytes(4).toString('hex')}@client.test`;
      const person = {
        from: { id: chatId, is_bot: false, first_name: 'Анна', last_name: 'Смирнова', language_code: 'ru' },
        chat: { id: chatId, first_name: 'Анна', last_name: 'Смирнова', type: 'private' },
      };
      let updateId = randomInt(1_000_000, 2_000_000);
      let messageId = randomInt(1_000, 100_000);
      const deliverTelegram = async (fields: Record<string, unknown>) => {
        const at = Date.now();
        const response = await fetch(`${api.baseUrl}/hooks/telegram/${bot.body.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': botSecret },
          body: JSON.stringify({
            update_id: updateId++,
            message: {
              message_id: messageId++,
              date: Math.floor(at / 1000),
              from: person.from,
              chat: person.chat,
              ...fields,
            },
          }),
        });
        expect(response.status).toBe(200);
        return at;
      };
      const conversationsOf = async (contactId: string): Promise<ConversationView[]> =>
        (await expectOk(operator, `/conversations?contactId=${contactId}`)).items;
      const messagesOf = async (conversationId: string): Promise<MessageView[]> =>
        (await expectOk(operator, `/conversations/${conversationId}/messages?limit=100`)).items;

      // 1. Telegram: a question, then the person's own contact card (Telegram's "Share my contact").
      const firstAt = await deliverTelegram({ text: 'Здравствуйте! Сколько стоит дом 120 м² под ключ?' });
      const [contact, ...others] = (await expectOk(operator, `/contacts?q=${chatId}`)).items;
      expect(others).toEqual([]);
      expect(contact).toMatchObject({
        name: 'Анна Смирнова',
        teamIds,
        identities: [{ channel: 'telegram', accountId: bot.body.id, externalId: String(chatId) }],
      });
      const contactId: string = contact.id;
      await nextSecond(firstAt);
      const cardAt = await deliverTelegram({
        contact: { phone_number: phone.slice(1), first_name: 'Анна', last_name: 'Смирнова', user_id: chatId },
      });
      const [telegramConversation, ...moreConversations] = await conversationsOf(contactId);
      expect(moreConversations).toEqual([]);
      expect(telegramConversation).toMatchObject({ channel: 'telegram', channelAccountId: bot.body.id });
      expect((await messagesOf(telegramConversation!.id)).map((message) => message.content)).toEqual([
        { kind: 'contact', name: 'Анна Смирнова', phone: phone.slice(1), externalId: String(chatId) },
        { kind: 'text', text: 'Здравствуйте! Сколько стоит дом 120 м² под ключ?' },
      ]);

      // Her own card gave the contact her phone; the operator adds the e-mail she gave in the chat
      // (and types the phone their way), as they would in the inbox.
      const linked = await operator.get(`/contacts/${contactId}`);
      expect(linked.body.phones.map((entry: { e164: string }) => entry.e164)).toEqual([phone]);
      const filled = await operator.patch(`/contacts/${contactId}`, { phones: [typedPhone], emails: [email] });
      expect(filled.status, JSON.stringify(filled.body)).toBe(200);
      expect(filled.body).toMatchObject({ phones: [{ raw: typedPhone, e164: phone }], emails: [email] });
      const note = await operator.post('/notes', {
        entity: 'contact',
        entityId: contactId,
        text: 'Поделилась номером в Telegram, почту дала в чате. Пришлёт план участка на почту.',
      });
      expect(note.status).toBe(201);
      const noteAt = Date.parse(note.body.createdAt);
      expect(noteAt).toBeGreaterThan(cardAt);

      // 2. E-mail from that address to the company mailbox, read by the app's IMAP sync from dovecot.
      await nextSecond(noteAt);
      const clientMessageId = `<plan-${randomBytes(6).toString('hex')}@client.test>`;
      const mailAt = Date.now();
      await dovecot.append(
        mailbox.mailbox,
        await composeMail({
          from: { name: 'Анна Смирнова', address: email },
          to: mailbox.mailbox.address,
          subject: 'План участка',
          text: 'Добрый день! Высылаю план участка, 12 соток.',
          messageId: clientMessageId,
          date: new Date(mailAt),
        }),
        new Date(mailAt),
      );
      // Read through the admin, who sees every conversation: a mail on another contact would show too.
      const emailConversation = await waitUntil('the e-mail to reach the inbox', async () => {
        const [found] = (await expectOk(admin, '/conversations?channel=email')).items as ConversationView[];
        if (!found) return undefined;
        const messages = (await expectOk(admin, `/conversations/${found.id}/messages`)).items as MessageView[];
        return messages.length > 0 ? found : undefined;
      });
      expect(emailConversation).toMatchObject({ contactId, channelAccountId: mailbox.id, teamIds });
      const [mail, ...moreMail] = await messagesOf(emailConversation.id);
      expect(moreMail).toEqual([]);
      expect(mail).toMatchObject({
        direction: 'in',
        contactId,
        content: { kind: 'email', subject: 'План участка', messageId: clientMessageId },
      });

      // 3. An SMS from that phone to the company's number, posted and signed as Twilio does.
      await nextSecond(Date.parse(mail!.createdAt));
      const smsAnswer = await postWebhook(
        twilioWebhook(
          twilioAccount.authToken,
          sms.body.webhookUrl,
          twilioPayloads.incomingSms({
            accountSid: twilioAccount.accountSid,
            from: phone,
            to: OUR_NUMBER,
            body: 'Анна, по дому: удобно созвониться сегодня?',
          }),
        ),
        api.baseUrl,
      );
      expect(smsAnswer.status, smsAnswer.body).toBe(200);
      const [smsConversation, ...moreSms] = (await expectOk(admin, '/conversations?channel=sms')).items;
      expect(moreSms).toEqual([]);
      expect(smsConversation).toMatchObject({ contactId, channelAccountId: sms.body.id });
      const [smsMessage] = await messagesOf(smsConversation!.id);
      expect(smsMessage).toMatchObject({
        direction: 'in',
        contactId,
        content: { kind: 'text', text: 'Анна, по дому: удобно созвониться сегодня?' },
      });

      // 4. The person calls that number; the call is answered and talked through: Twilio's status
      // callbacks, the last one `completed` with its duration. The call starts after the SMS.
      const talkSec = 2;
      const smsAt = Date.parse(smsMessage!.sentAt!);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, smsAt + (talkSec + 1) * 1000 + 50 - Date.now())));
      const endedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      const callSid = twilioSid('CA');
      const callStatus = twilioPayloads.callStatus({
        accountSid: twilioAccount.accountSid,
        callSid,
        from: phone,
        to: OUR_NUMBER,
        direction: 'inbound',
        status: 'completed',
        durationSec: talkSec,
        at: endedAt,
      });
      for (const progress of ['ringing', 'in-progress', 'completed']) {
        const answer = await postWebhook(
          twilioWebhook(twilioAccount.authToken, voice.body.webhookUrl, { ...callStatus, CallStatus: progress }),
          api.baseUrl,
        );
        expect(answer.status, answer.body).toBe(200);
      }
      const [callConversation, ...moreVoice] = (await expectOk(admin, '/conversations?channel=voice')).items;
      expect(moreVoice).toEqual([]);
      expect(callConversation).toMatchObject({ contactId, channelAccountId: voice.body.id });
      const [call, ...moreCalls] = await messagesOf(callConversation!.id);
      expect(moreCalls).toEqual([]);
      expect(call).toMatchObject({
        direction: 'in',
        contactId,
        externalId: callSid,
        content: {
          kind: 'call',
          direction: 'in',
          from: phone,
          to: OUR_NUMBER,
          outcome: 'answered',
          durationSec: talkSec,
          startedAt: new Date(endedAt.getTime() - talkSec * 1000).toISOString(),
        },
      });
      expect(Date.parse(call!.sentAt!)).toBeGreaterThan(smsAt);

      // 5. One contact: found by each of its keys, the same one every time, and nobody else has them.
      for (const q of [String(chatId), phone, typedPhone, `8${phone.slice(2)}`, email, 'Анна Смирнова']) {
        const found = await expectOk(admin, `/contacts?q=${encodeURIComponent(q)}`);
        expect(
          found.items.map((item: { id: string }) => item.id),
          `contacts found by ${q}`,
        ).toEqual([contactId]);
      }
      expect(await api.db.collection('contacts').countDocuments({})).toBe(1);
      const card = await expectOk(operator, `/contacts/${contactId}`);
      expect(card).toMatchObject({ status: 'active', phones: [{ e164: phone }], emails: [email] });
      expect(
        card.identities.map((identity: { channel: string; externalId: string }) => [
          identity.channel,
          identity.externalId,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['telegram', String(chatId)],
          ['email', email],
          ['sms', phone],
          ['voice', phone],
        ]),
      );
      expect(card.identities).toHaveLength(4);
      const conversations = await conversationsOf(contactId);
      expect(conversations.map((conversation) => conversation.channel).sort()).toEqual([
        'email',
        'sms',
        'telegram',
        'voice',
      ]);
      for (const conversation of conversations) expect(conversation).toMatchObject({ contactId, teamIds });

      // The timeline: the four, the card and the operator's note, newest first, in time order.
      const timeline: TimelineItem[] = (await expectOk(operator, `/contacts/${contactId}/timeline?limit=50`)).items;
      expect(
        timeline.map((item) => (item.message ? `${item.message.channel}:${item.message.content.kind}` : item.kind)),
      ).toEqual(['voice:call', 'sms:text', 'email:email', 'note', 'telegram:contact', 'telegram:text']);
      expect(timeline.every((item) => !item.message || item.message.contactId === contactId)).toBe(true);
      expect(timeline.map((item) => item.message?.id ?? item.id)).toEqual([
        call!.id,
        smsMessage!.id,
        mail!.id,
        note.body.id,
        ...(await messagesOf(telegramConversation!.id)).map((message) => message.id),
      ]);
      // When each thing happened (the provider's time of a message, the note's own): strictly newest first.
      const happenedAt = timeline.map((item) => Date.parse(item.message?.sentAt ?? item.at));
      for (let i = 1; i < happenedAt.length; i += 1) {
        expect(happenedAt[i - 1], `timeline item ${i - 1} after item ${i}`).toBeGreaterThan(happenedAt[i]!);
      }
      // ...and the order the timeline keeps (when the app stored them) agrees.
      const storedAt = timeline.map((item) => Date.parse(item.at));
      for (let i = 1; i < storedAt.length; i += 1) expect(storedAt[i - 1]).toBeGreaterThanOrEqual(storedAt[i]!);
      expect(Date.parse(timeline[5]!.message!.sentAt!)).toBe(Math.floor(firstAt / 1000) * 1000);
      expect(Date.parse(timeline[2]!.message!.sentAt!)).toBe(Math.floor(mailAt / 1000) * 1000);

      // 6. The operator answers each conversation on its own channel.
      const replyOn = async (conversation: ConversationView, text: string) => {
        const queued = await operator.post(`/conversations/${conversation.id}/messages`, { text });
        expect(queued.status, JSON.stringify(queued.body)).toBe(202);
        expect(queued.body).toMatchObject({ status: 'queued', direction: 'out', channel: conversation.channel });
        return queued.body as MessageView;
      };
      const waitForStatus = (conversationId: string, id: string, status: string) =>
        waitUntil(`reply ${id} to be ${status}`, async () => {
          const found = (await messagesOf(conversationId)).find((message) => message.id === id);
          return found?.status === status ? found : undefined;
        });

      const telegramReply = await replyOn(telegramConversation!, 'Анна, дом 120 м² под ключ — от 4,2 млн ₽.');
      const emailReply = await replyOn(emailConversation, 'Спасибо, план получили. Пришлём расчёт завтра.');
      const smsReply = await replyOn(smsConversation!, 'Да, перезвоним в 15:00.');
      const refused = await operator.post(`/conversations/${callConversation!.id}/messages`, { text: 'Алло?' });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('channel_read_only');

      const telegramSent = await waitForStatus(telegramConversation!.id, telegramReply.id, 'sent');
      const toChat = telegram.sent().filter((sent) => sent.chatId === String(chatId));
      expect(toChat).toHaveLength(1);
      expect(toChat[0]).toMatchObject({ method: 'sendmessage', text: 'Анна, дом 120 м² под ключ — от 4,2 млн ₽.' });
      expect(telegramSent.externalId).toBe(`${chatId}:${toChat[0]!.messageId}`);

      const emailSent = await waitForStatus(emailConversation.id, emailReply.id, 'sent');
      const outMail = await mailbox.smtp.waitForMail(1);
      expect(mailbox.smtp.mails()).toHaveLength(1);
      expect(outMail.to).toEqual([email]);
      expect(outMail.from).toBe(mailbox.mailbox.address);
      expect(outMail.parsed.subject).toBe('Re: План участка');
      expect(outMail.parsed.inReplyTo).toBe(clientMessageId);
      expect(outMail.parsed.text?.trim()).toContain('Спасибо, план получили. Пришлём расчёт завтра.');
      expect(outMail.parsed.messageId).toBe(emailSent.externalId);

      const smsSent = await waitForStatus(smsConversation!.id, smsReply.id, 'sent');
      const [texted, ...moreTexts] = twilio.sent();
      expect(moreTexts).toEqual([]);
      expect(texted).toMatchObject({
        sid: smsSent.externalId,
        chatId: phone,
        from: OUR_NUMBER,
        text: 'Да, перезвоним в 15:00.',
        statusCallback: sms.body.webhookUrl,
      });
      expect((await twilio.reportStatus(texted!.sid, 'sent')).status).toBe(200);
      expect((await twilio.reportStatus(texted!.sid, 'delivered')).status).toBe(200);
      await waitForStatus(smsConversation!.id, smsReply.id, 'delivered');

      // The replies join the same timeline, on top, each on its channel; still one contact.
      const after: TimelineItem[] = (await expectOk(operator, `/contacts/${contactId}/timeline?limit=50`)).items;
      expect(after).toHaveLength(9);
      expect(after.slice(0, 3).map((item) => [item.message?.id, item.message?.channel, item.message?.status])).toEqual([
        [smsReply.id, 'sms', 'delivered'],
        [emailReply.id, 'email', 'sent'],
        [telegramReply.id, 'telegram', 'sent'],
      ]);
      expect(after.slice(3).map((item) => item.id)).toEqual(timeline.map((item) => item.id));
      expect(await api.db.collection('contacts').countDocuments({})).toBe(1);
    });
  },
);
