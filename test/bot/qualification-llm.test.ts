import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiApi, type OpenAiApiStandIn } from '../stand-ins/openai-api.js';
import { waitUntil } from '../wait-until.js';
import { recordsOf, startFrontDoorApp, TelegramClient, type FrontDoorApp } from './front-door-fixture.js';

/** What the model answers about a message, in the strict shape the bot asks for (all keys, null for absent). */
function extraction(fields: Record<string, unknown>) {
  return {
    language: 'ru',
    phones: [],
    emails: [],
    name: null,
    quantities: [],
    budget: null,
    when: null,
    address: null,
    intents: [],
    ...fields,
  };
}

/**
 * The qualification with an OpenAI key, against the local OpenAI stand-in: one structured-output
 * call per client message reads every answer the message gives; a malformed model answer and a
 * model that does not answer in OPENAI_TIMEOUT_MS fall back to the offline extractor, and the
 * client never notices.
 */
describe('front-door qualification with an LLM', () => {
  let openai: OpenAiApiStandIn;
  let app: FrontDoorApp;

  beforeAll(async () => {
    openai = await startOpenAiApi();
    app = await startFrontDoorApp({
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_TIMEOUT_MS: '1500',
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await openai?.close();
  });

  it('should read several answers from one message by the model, and fall back offline on a malformed answer', async () => {
    const client = new TelegramClient(app, { firstName: 'Вера', languageCode: 'ru' });
    openai.script({
      kind: 'content',
      content: extraction({ quantities: [{ value: 5, unit: 'window' }], address: 'Подольск', intents: ['windows'] }),
    });
    await client.write('Добрый вечер! Окошки на даче поменять бы, штук пять, это в Подольске');
    const [, when] = await client.waitForMessages(2);
    expect(when!.text).toContain('Когда вам удобно встретиться с замерщиком?');
    const [request] = openai.requests();
    expect(request!.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    expect(request!.body.messages?.at(-1)?.content).toBe(
      'Добрый вечер! Окошки на даче поменять бы, штук пять, это в Подольске',
    );

    // A day the offline reader does not know: the model names it.
    openai.script({
      kind: 'content',
      content: extraction({ when: { date: '2030-04-01', time: null, text: 'после того как сойдёт снег' } }),
    });
    await client.write('после того как сойдёт снег');
    expect((await client.reply(2)).text).toContain('Оставьте, пожалуйста, номер телефона');

    // The model breaks the schema: the offline extractor reads the phone.
    openai.script({ kind: 'content', content: { language: 'ru', phones: 'one' } });
    await client.write('+7 912 111-22-33');
    expect((await client.reply(3)).text).toContain('Спасибо, Вера! Записал: 5 шт., Подольск.');

    const { contact, deal } = await waitUntil('the lead is qualified', async () => {
      const records = await recordsOf(app.api, String(client.chatId));
      return records.deal?.stageId === 'qualified' ? records : undefined;
    });
    expect(deal!.customFields).toMatchObject({
      product: 'windows',
      window_count: 5,
      measurement_address: 'Подольск',
      desired_date: '2030-04-01',
    });
    expect(contact.phones.map((phone) => phone.e164)).toEqual(['+79121112233']);
  });

  it('should fall back to the offline extractor when the model does not answer in time', async () => {
    const client = new TelegramClient(app, { firstName: 'Глеб', languageCode: 'ru' });
    openai.script({ kind: 'hang' });
    const started = Date.now();
    await client.write('Хочу поменять 2 окна');
    const [, address] = await client.waitForMessages(2);
    expect(address!.text).toBe('Напишите адрес или район, где нужен замер.');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    const { deal } = await recordsOf(app.api, String(client.chatId));
    expect(deal!.customFields).toMatchObject({ product: 'windows', window_count: 2 });
  });
});
