import { randomBytes, randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  VISITOR_NAMESPACE,
  historyAckSchema,
  messageAckSchema,
  visitorSessionSchema,
  type VisitorSession,
} from '../../bot/webchat/visitor-events.js';
import { visitorMessageSchema, type VisitorMessage } from '../../bot/webchat/visitor-message.js';
import type { VisitorInbound } from '../../bot/webchat/visitor-payloads.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { inboxSocket, newMember } from '../api/inbox-fixture.js';
import { waitUntil } from '../wait-until.js';
import { ALWAYS_OPEN, setBusinessHours } from './front-door-fixture.js';

const SITE = 'https://ecodom-site.example';

/**
 * One visitor of the green-home builder's site chat, end to end on the whole app: a socket on
 * the `/visitor` namespace opened the way the widget opens it (bot/webchat/widget/src/
 * visitor-connection.ts: handshake `auth`, `message` with an ack, server `message` events), the
 * shipped `ecostroy` template, the real flow and outbound workers, Redis and the store, no
 * OpenAI key. The visitor answers in free Russian text, asks questions in place of answers (one the
 * knowledge base cannot answer, one it can, one with the answer in the same message), names a day
 * without an hour and books one of that day's slots by tapping a quick reply, and asks for a
 * person; then the operator's REST view is checked: the conversation handed to them, the note, the
 * contact, the deal's fields, the appointment and the manager's task.
 */
describe('front-door dialogue on the site chat', () => {
  let api: TestApi;
  let channelId: string;
  let operator: ApiClient;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    await installFlowTemplate(api.db, pino({ level: 'silent' }), 'ecostroy');
    await setBusinessHours(api, ALWAYS_OPEN);
    const admin = await api.as('admin');
    const team = await admin.post('/teams', { name: `Сайт ${randomBytes(4).toString('hex')}` });
    expect(team.status).toBe(201);
    const channel = await admin.post('/channels', {
      type: 'webchat',
      name: `ЭкоСтрой ${randomBytes(3).toString('hex')}`,
      allowedOrigins: [SITE],
      title: 'ЭкоСтрой',
      teamIds: [team.body.id],
    });
    expect(channel.status).toBe(201);
    channelId = channel.body.id;
    // An operator of the channel's team with the inbox open: the hand-over goes to them.
    operator = await newMember(api, 'operator', [team.body.id]);
    sockets.push(await inboxSocket(api, operator));
    await waitUntil('the operator is online', async () =>
      (await operator.get('/me/presence')).body.status === 'online' ? true : undefined,
    );
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await api?.close();
  });

  /** The widget's side of the chat: what it sends and what it shows, upserted by id as the widget does. */
  class Visitor {
    readonly shown = new Map<string, VisitorMessage>();
    private constructor(
      readonly socket: Socket,
      readonly session: VisitorSession,
    ) {
      socket.on('message', (payload: unknown) => {
        const message = visitorMessageSchema.parse(payload);
        this.shown.set(message.id, message);
      });
    }

    static async open(): Promise<Visitor> {
      const socket = connect(`${api.baseUrl}${VISITOR_NAMESPACE}`, {
        auth: { channelId, locale: 'ru' },
        transports: ['websocket'],
        extraHeaders: { origin: SITE },
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      const session = visitorSessionSchema.parse(await new Promise((resolve) => socket.once('session', resolve)));
      return new Visitor(socket, session);
    }

    /** The bot's messages as the widget shows them, oldest first. */
    botMessages(): VisitorMessage[] {
      return [...this.shown.values()]
        .filter((message) => message.direction === 'out')
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    }

    async send(message: Omit<VisitorInbound, 'clientMessageId'>): Promise<VisitorMessage> {
      const ack = messageAckSchema.parse(
        await this.socket.emitWithAck('message', {
          clientMessageId: randomBytes(12).toString('base64url'),
          ...message,
        }),
      );
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.message;
    }

    /** Writes and waits until the bot has said `count` more things; returns them. */
    async say(text: string, count = 1): Promise<VisitorMessage[]> {
      const before = this.botMessages().length;
      await this.send({ text });
      return this.waitForBot(before + count).then((all) => all.slice(before));
    }

    waitForBot(count: number): Promise<VisitorMessage[]> {
      return waitUntil(`${count} bot messages in the widget`, () => {
        const messages = this.botMessages();
        return messages.length >= count ? messages : undefined;
      });
    }
  }

  it('should qualify a visitor from free text, answer a question, book a consultation and hand over to a person', async () => {
    const visitor = await Visitor.open();
    expect(visitor.session).toMatchObject({ operatorsOnline: true, appearance: { title: 'ЭкоСтрой' } });

    const [greeting, plot] = await visitor.say('Здравствуйте! Хотим построить дом', 2);
    expect(greeting!.text).toContain('Я бот «ЭкоСтроя»');
    expect(plot!.text).toBe('Где будет стоить дом? Напишите, где участок (посёлок, район или адрес).');
    expect((await visitor.say('Участок в посёлке Ромашково, Одинцовский район'))[0]!.text).toBe(
      'Какой площади дом вы хотите, в м²? Можно примерно.',
    );
    expect((await visitor.say('примерно 150 квадратов'))[0]!.text).toBe(
      'На какой бюджет вы рассчитываете? Например, «до 8 млн».',
    );
    // A question in place of the budget: nothing in the knowledge base answers it, so the bot says
    // so rather than invent a price, and asks for the budget again.
    const [unsure, budgetAgain] = await visitor.say('а сколько стоит фундамент?', 2);
    expect(unsure!.text).toBe(
      'Точного ответа на этот вопрос у меня нет — уточню у менеджера. Чтобы поговорить с человеком сейчас, напишите «оператор».',
    );
    expect(budgetAgain!.text).toBe('На какой бюджет вы рассчитываете? Например, «до 8 млн».');
    const timingButtons = [
      { id: 'this-season', text: 'В этом сезоне' },
      { id: 'next-year', text: 'В следующем году' },
      { id: 'later', text: 'Пока присматриваюсь' },
    ];
    const [timing] = await visitor.say('около 9 млн');
    expect(timing).toMatchObject({ text: 'Когда планируете строить?', buttons: timingButtons });
    // A question the knowledge base does answer: the answer, then the same question with its quick replies.
    const [mortgage, timingAgain] = await visitor.say('А ипотеку можно оформить?', 2);
    expect(mortgage!.text).toContain('Работаем с банками-партнёрами по ипотеке');
    expect(timingAgain).toMatchObject({ text: 'Когда планируете строить?', buttons: timingButtons });
    // An answer and a question in one message: the bot answers the question and takes the answer.
    const [warranty, name] = await visitor.say('В следующем году. А гарантия какая?', 2);
    expect(warranty!.text).toContain('На конструктив дома — гарантия 10 лет');
    expect(name!.text).toBe('Как к вам обращаться?');
    expect((await visitor.say('Меня зовут Алексей'))[0]!.text).toBe(
      'Оставьте, пожалуйста, номер телефона — менеджер подтвердит консультацию.',
    );
    const [thanks, offer] = await visitor.say('8 (915) 123-45-67', 2);
    // The amount is grouped with the no-break spaces of Intl's Russian number format.
    expect(thanks!.text).toMatch(
      /^Спасибо, Алексей! Дом 150 м², бюджет 9\s000\s000 ₽\. Менеджер подберёт проекты, а сейчас выберите удобное время консультации\.$/u,
    );
    expect(offer!.text).toContain('Приглашаем на бесплатную консультацию');
    expect(offer!.buttons?.length).toBeGreaterThan(0);
    for (const button of offer!.buttons!) {
      expect(button.id).toMatch(/^slot:/);
      expect(button.text).toMatch(/^[а-я]{2} \d\d\.\d\d \d\d:\d\d$/);
    }

    // A question while the slots are offered: the answer, then the same offer with its quick replies.
    const [free, offerAgain] = await visitor.say('А консультация платная?', 2);
    expect(free!.text).toContain('Первая консультация бесплатная');
    expect(offerAgain).toMatchObject({ text: offer!.text, buttons: offer!.buttons });

    // A day without an hour: that day's free times come back as quick replies, and the visitor taps one.
    const inTwoDays = DateTime.now().setZone('Europe/Moscow').plus({ days: 2 });
    const [dayOffer] = await visitor.say('давайте послезавтра');
    expect(dayOffer!.text).toBe(`Свободное время — ${inTwoDays.setLocale('ru').toFormat('cccc, d MMMM')}:`);
    expect(dayOffer!.buttons?.length).toBeGreaterThan(1);
    for (const button of dayOffer!.buttons!)
      expect(button.text).toMatch(new RegExp(`^[а-я]{2} ${inTwoDays.toFormat('dd.MM')} \\d\\d:\\d\\d$`, 'u'));
    const slot = dayOffer!.buttons![1]!;
    const before = visitor.botMessages().length;
    const tap = await visitor.send({ button: slot });
    expect(tap).toMatchObject({ direction: 'in', text: slot.text });
    const [confirmation] = (await visitor.waitForBot(before + 1)).slice(before);
    expect(confirmation!.text).toContain('Ждём вас на консультации.');
    expect(confirmation!.text).toContain('Консультация по проекту дома');
    expect(confirmation!.text).toContain('офис «ЭкоСтрой», шоурум с образцами материалов');
    expect(confirmation!.buttons?.map((button) => button.text)).toEqual(['Перенести', 'Отменить']);

    const [handover] = await visitor.say('Позовите оператора, пожалуйста');
    expect(handover!.text).toBe('Передаю ваш вопрос менеджеру — он ответит здесь, в этом чате.');
    // Everything the visitor saw came from the bot; the note for the operator is not among it.
    expect(visitor.botMessages().every((message) => message.author?.kind === 'bot')).toBe(true);
    // Without a name: the widget calls the bot «Бот» / "Bot" itself, never by the part that wrote ('flow', 'booking').
    expect(visitor.botMessages().filter((message) => message.author?.name)).toEqual([]);
    expect(visitor.botMessages().some((message) => message.text?.includes('Бот передал разговор'))).toBe(false);

    // The widget opened again shows the same: its history (the latest page) is the conversation as stored.
    const history = historyAckSchema.parse(await visitor.socket.emitWithAck('history', {}));
    if (!history.ok) throw new Error(history.error.message);
    const stored = history.messages.filter((message) => message.direction === 'out').map((message) => message.text);
    expect(stored.length).toBeGreaterThan(10);
    expect(stored).toEqual(
      visitor
        .botMessages()
        .map((message) => message.text)
        .slice(-stored.length),
    );

    // The operator's side: the conversation is theirs, with what the bot learned.
    const conversation = await waitUntil('the conversation is handed to the operator', async () => {
      const list = await operator.get('/conversations');
      return list.body.items.find(
        (item: { channelAccountId: string; assigneeId?: string }) =>
          item.channelAccountId === channelId && item.assigneeId === operator.user!.id,
      );
    });
    expect(conversation).toMatchObject({ handler: 'human', status: 'open' });
    const notes = await operator.get(`/conversations/${conversation.id}/notes`);
    expect(notes.status).toBe(200);
    const note = notes.body.items.map((item: { text: string }) => item.text).join('\n');
    expect(note).toContain('Бот передал разговор. Что известно:');
    for (const known of ['Алексей', '+79151234567', 'Участок в посёлке Ромашково, Одинцовский район', '150'])
      expect(note).toContain(known);

    const contact = await operator.get(`/contacts/${conversation.contactId}`);
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ name: 'Алексей' });
    expect(JSON.stringify(contact.body.phones)).toContain('+79151234567');

    const manager = await api.as('manager');
    const deals = await manager.get(`/deals?contactId=${conversation.contactId}`);
    expect(deals.status).toBe(200);
    expect(deals.body.items).toHaveLength(1);
    const deal = deals.body.items[0];
    expect(deal.customFields).toMatchObject({
      plot_location: 'Участок в посёлке Ромашково, Одинцовский район',
      house_area: 150,
      budget: 9_000_000,
      build_start: 'next-year',
    });

    const appointments = await operator.get(`/appointments?contactId=${conversation.contactId}`);
    expect(appointments.status).toBe(200);
    expect(appointments.body.items).toHaveLength(1);
    const appointment = appointments.body.items[0];
    expect(appointment).toMatchObject({
      title: 'Консультация по проекту дома',
      status: 'planned',
      startsAt: new Date(slot.id.slice('slot:'.length)).toISOString(),
      place: 'офис «ЭкоСтрой», шоурум с образцами материалов',
      dealId: deal.id,
    });
    const tasks = await manager.get(`/tasks?contactId=${conversation.contactId}`);
    expect(tasks.status).toBe(200);
    expect(tasks.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          title: 'Консультация по проекту дома',
          assigneeId: appointment.managerId,
          dueAt: appointment.startsAt,
        }),
      ]),
    );
  }, 120_000);
});
