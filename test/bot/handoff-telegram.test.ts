import { DateTime } from 'luxon';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowRunModel, type FlowRunRecord } from '../../server/flows/flow-run-model.js';
import { noteModels } from '../../server/notes/note-models.js';
import { taskModel } from '../../server/tasks/task-model.js';
import { inboxSocket, newMember } from '../api/inbox-fixture.js';
import { waitUntil } from '../wait-until.js';
import {
  ALWAYS_OPEN,
  recordsOf,
  setBusinessHours,
  startFrontDoorApp,
  TelegramClient,
  type FrontDoorApp,
} from './front-door-fixture.js';

/**
 * Handing a Telegram chat from the bot to a person: asked for by a keyword (the chat goes to an
 * online operator of the channel's team with a note of what the bot learned), outside business
 * hours (the client hears when a person answers and a call-back task is made), by an operator
 * writing in the chat, and back to the bot, which goes on with what it still does not know.
 */
describe('front-door handoff on telegram', () => {
  let app: FrontDoorApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    app = await startFrontDoorApp();
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app?.close();
  });

  const intakeRun = async (contactId: unknown) =>
    (await flowRunModel(app.api.db))
      .findOne({ flowId: 'lead-intake', contactId: String(contactId) })
      .lean<FlowRunRecord>();

  it('should hand over on "оператор" to an online operator of the team, with a note of what the bot learned', async () => {
    await setBusinessHours(app.api, ALWAYS_OPEN);
    const operator = await newMember(app.api, 'operator', [app.teamId]);
    sockets.push(await inboxSocket(app.api, operator));
    await waitUntil('the operator is online', async () =>
      (await operator.get('/me/presence')).body.status === 'online' ? true : undefined,
    );
    const client = new TelegramClient(app, { firstName: 'Павел', languageCode: 'ru' });
    await client.write('Нужно остеклить балкон');
    await client.waitForMessages(2);
    await client.write('оператор');
    expect((await client.reply(2)).text).toBe('Передаю ваш вопрос менеджеру — он ответит здесь, в этом чате.');

    const { contact, conversation } = await waitUntil('the chat is assigned', async () => {
      const records = await recordsOf(app.api, String(client.chatId));
      return records.conversation.assigneeId ? records : undefined;
    });
    expect(conversation).toMatchObject({ handler: 'human', status: 'open' });
    expect(String(conversation.assigneeId)).toBe(operator.user!.id);
    const notes = await noteModels(app.api.db).Note.find({ conversationId: conversation._id }).lean();
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toContain('Бот передал разговор. Что известно:');
    expect(notes[0]!.text).toContain('Имя: Павел');
    expect(notes[0]!.text).toContain('Что нужно: Балкон');
    const run = await waitUntil('the qualification ends', async () => {
      const found = await intakeRun(contact._id);
      return found?.status === 'exited' ? found : undefined;
    });
    expect(run.state.exitReason).toBe('taken-over');

    // The bot is quiet now: the client's next message waits for the person.
    await client.write('8 окон');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(client.received()).toHaveLength(3);
  });

  it('should say it is not sure about a question it cannot answer, and hand over the second time', async () => {
    await setBusinessHours(app.api, ALWAYS_OPEN);
    const client = new TelegramClient(app, { firstName: 'Лев', languageCode: 'ru' });
    await client.write('/start');
    await client.waitForMessages(2);
    await client.write('Вы делаете витражи для яхт?');
    const [unsure, again] = (await client.waitForMessages(4)).slice(2);
    expect(unsure!.text).toBe(
      'Точного ответа на этот вопрос у меня нет — уточню у менеджера. Чтобы поговорить с человеком сейчас, напишите «оператор».',
    );
    expect(again!.text).toBe('Что вас интересует?');
    await client.write('А витражи для веранды бывают?');
    const [, handover] = (await client.waitForMessages(6)).slice(4);
    expect(handover!.text).toBe('Передаю ваш вопрос менеджеру — он ответит здесь, в этом чате.');
    const { conversation } = await recordsOf(app.api, String(client.chatId));
    expect(conversation.handler).toBe('human');
  });

  it('should say when a person answers and make a call-back task outside business hours', async () => {
    // Open tomorrow only (Moscow), from 10:00: now is outside, and the next opening is tomorrow at 10:00.
    const tomorrow = DateTime.now().setZone('Europe/Moscow').plus({ days: 1 });
    await setBusinessHours(app.api, [{ days: [tomorrow.weekday], from: '10:00', to: '18:00' }]);
    const client = new TelegramClient(app, { firstName: 'Ирина', languageCode: 'ru' });
    await client.write('/human');
    const messages = await client.waitForMessages(1);
    expect(messages.at(-1)!.text).toBe(
      'Передаю ваш вопрос менеджеру. Сейчас мы не работаем — менеджер ответит завтра в 10:00. Мы перезвоним вам.',
    );
    const { contact } = await recordsOf(app.api, String(client.chatId));
    const task = await waitUntil(
      'the call-back task',
      async () =>
        (await (await taskModel(app.api.db)).findOne({ contactId: contact._id, kind: 'call' }).lean()) ?? undefined,
    );
    expect(task.title).toBe('Перезвонить клиенту: просил связать с человеком');
    expect(task.dueAt?.toISOString()).toBe(
      tomorrow.set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toUTC().toISO(),
    );
  });

  it('should stop asking when an operator writes, and go on with what is left when the chat is handed back', async () => {
    await setBusinessHours(app.api, ALWAYS_OPEN);
    const manager = await app.api.as('manager');
    const client = new TelegramClient(app, { firstName: 'Денис', languageCode: 'ru' });
    await client.write('Хочу поменять 3 окна');
    const [, address] = await client.waitForMessages(2);
    expect(address!.text).toBe('Напишите адрес или район, где нужен замер.');
    const { contact, conversation } = await recordsOf(app.api, String(client.chatId));
    const reply = await manager.post(`/conversations/${String(conversation._id)}/messages`, {
      text: 'Здравствуйте, я менеджер Анна',
    });
    expect(reply.status).toBe(202);
    await waitUntil('the qualification ends', async () =>
      (await intakeRun(contact._id))?.status === 'exited' ? true : undefined,
    );
    await client.write('ул. Садовая 7');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // The bot's two messages and the manager's: nothing more from the bot.
    expect(client.received().map((message) => message.text)).toHaveLength(3);

    const back = await manager.patch(`/conversations/${String(conversation._id)}`, { handler: 'bot' });
    expect(back.status).toBe(200);
    await client.write('Продолжим');
    const [welcomeBack, address2] = (await client.waitForMessages(5)).slice(3);
    expect(welcomeBack!.text).toBe('Вернёмся к вашей заявке.');
    // What and how many were answered before the takeover: the bot asks for the address, not again for them.
    expect(address2!.text).toBe('Напишите адрес или район, где нужен замер.');
  });
});
