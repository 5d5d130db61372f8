import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskModel } from '../../server/tasks/task-model.js';
import { waitUntil } from '../wait-until.js';
import { recordsOf, startFrontDoorApp, TelegramClient, type FrontDoorApp } from './front-door-fixture.js';

/**
 * The window maker's qualification on Telegram, as a new client lives it: from /start through
 * the bot's questions (buttons, free text, a bad phone asked again) to a qualified lead with its
 * answers in the contact and deal fields. Real app, Redis, store and the Bot API stand-in; no
 * OpenAI key, so the offline extractor reads the answers.
 */
describe('front-door qualification on telegram', () => {
  let app: FrontDoorApp;

  beforeAll(async () => {
    app = await startFrontDoorApp();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('should ask what, how many, where and when, re-ask a bad phone, and leave a qualified lead with its answers', async () => {
    const client = new TelegramClient(app, { firstName: 'Марина', languageCode: 'ru' });
    await client.write('/start');
    const [greeting, product] = await client.waitForMessages(2);
    expect(greeting!.text).toContain('Здравствуйте');
    expect(product).toMatchObject({ text: 'Что вас интересует?', buttons: ['Окна', 'Балкон', 'Двери'] });

    await client.press('Окна', 'windows');
    expect((await client.reply(2)).text).toBe('Сколько окон или проёмов нужно?');
    // A question instead of an answer: the knowledge base answers it, then the bot asks again.
    await client.write('А сколько стоит одно окно?');
    const [price, again] = (await client.waitForMessages(5)).slice(3);
    expect(price!.text).toContain('пластиковое окно 1300×1400 мм с двухкамерным стеклопакетом — от 14 900 ₽');
    expect(again!.text).toBe('Сколько окон или проёмов нужно?');
    await client.write('восемь окон');
    expect((await client.reply(5)).text).toBe('Напишите адрес или район, где нужен замер.');
    await client.write('ул. Ленина, д. 5, кв. 12');
    expect((await client.reply(6)).text).toContain('Когда вам удобно встретиться с замерщиком?');
    await client.write('завтра после обеда');
    // Telegram gave the name (Марина): the bot does not ask it again and goes on to the phone.
    expect((await client.reply(7)).text).toContain('Оставьте, пожалуйста, номер телефона');
    await client.write('12345');
    expect((await client.reply(8)).text).toBe(
      'Не похоже на номер телефона. Напишите, пожалуйста, например: +7 912 345-67-89.',
    );
    await client.write('+7 912 345-67-89');
    expect((await client.reply(9)).text).toContain('Спасибо, Марина! Записал: 8 шт., ул. Ленина, д. 5, кв. 12.');

    const { contact, deal } = await waitUntil('the lead is qualified', async () => {
      const records = await recordsOf(app.api, String(client.chatId));
      return records.deal?.stageId === 'qualified' ? records : undefined;
    });
    expect(contact.phones.map((phone) => phone.e164)).toEqual(['+79123456789']);
    expect(contact.name).toBe('Марина');
    expect(deal!.customFields).toMatchObject({
      product: 'windows',
      window_count: 8,
      measurement_address: 'ул. Ленина, д. 5, кв. 12',
    });
    // "после обеда" is 14:00 in the workspace's zone (Moscow, +03:00).
    expect(String(deal!.customFields?.desired_date)).toMatch(/T14:00:00\+03:00$/);
    const tasks = await (await taskModel(app.api.db)).find({ contactId: contact._id }).lean();
    expect(tasks.map((task) => task.title)).toContain('Лид квалифицирован ботом: Марина');
  }, 90_000);

  it('should not ask again what the first message already says', async () => {
    const client = new TelegramClient(app, { firstName: 'Олег' });
    await client.write('Здравствуйте! Нужны пластиковые окна, 4 штуки, адрес: ул. Мира 10. Телефон 8 912 000-11-22');
    const [greeting, when] = await client.waitForMessages(2);
    expect(greeting!.text).toContain('Здравствуйте');
    expect(when!.text).toContain('Когда вам удобно встретиться с замерщиком?');
    await client.write('в субботу');
    expect((await client.reply(2)).text).toContain('Спасибо, Олег! Записал: 4 шт., ул. Мира 10.');
    const { contact, deal } = await waitUntil('the lead is qualified', async () => {
      const records = await recordsOf(app.api, String(client.chatId));
      return records.deal?.stageId === 'qualified' ? records : undefined;
    });
    expect(deal!.customFields).toMatchObject({
      product: 'windows',
      window_count: 4,
      measurement_address: 'ул. Мира 10',
    });
    expect(contact.phones.map((phone) => phone.e164)).toEqual(['+79120001122']);
  });

  it('should talk English to a client who writes English', async () => {
    const client = new TelegramClient(app, { firstName: 'John', languageCode: 'ru' });
    await client.write('Hello, I need new windows');
    const [greeting, count] = await client.waitForMessages(2);
    expect(greeting!.text).toContain('Hello!');
    expect(count!.text).toBe('How many windows or openings do you need?');
    await client.write('three');
    expect((await client.reply(2)).text).toBe('Please write the address or district for the measurement.');
    const { contact, deal } = await recordsOf(app.api, String(client.chatId));
    expect(contact.language).toBe('en');
    expect(deal!.customFields).toMatchObject({ product: 'windows', window_count: 3 });
  });
});
