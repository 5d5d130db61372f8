import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractOffline } from '../../bot/assistant/extract/extract-offline.js';
import { extractWithLlm } from '../../bot/assistant/llm/extract-with-llm.js';
import { llmClient, type LlmClient } from '../../bot/assistant/llm/llm-client.js';
import { LLM_EXTRACTION_JSON_SCHEMA } from '../../bot/assistant/llm/llm-extraction-schema.js';
import { loadConfig } from '../../server/config/config.js';
import { startOpenAiApi, type OpenAiApiStandIn } from '../stand-ins/openai-api.js';

const context = { now: new Date('2026-11-26T10:00:00+03:00'), timeZone: 'Europe/Moscow' };
const MESSAGE = 'Здравствуйте, нужно 3 окна, завтра после обеда, ул. Ленина 5. Анна, 8 916 123-45-67';

/** A well-formed model answer for MESSAGE. */
const ANSWER = {
  language: 'ru',
  phones: ['8 916 123-45-67'],
  emails: [],
  name: 'Анна',
  quantities: [{ value: 3, unit: 'window' }],
  budget: null,
  when: { date: '2026-11-27', time: '14:00', text: 'завтра после обеда' },
  address: 'ул. Ленина 5',
  intents: ['windows'],
};

describe('extractWithLlm', () => {
  let api: OpenAiApiStandIn;
  let llm: LlmClient;
  const logged: { reason?: string; msg?: string }[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });

  beforeAll(async () => {
    api = await startOpenAiApi();
    const client = llmClient(
      loadConfig({
        OPENAI_API_KEY: api.apiKey,
        OPENAI_BASE_URL: api.baseURL,
        OPENAI_MODEL: 'gpt-test',
        OPENAI_TIMEOUT_MS: '1500',
      }),
    );
    if (!client) throw new Error('expected an LLM client with a key set');
    llm = client;
  });
  afterAll(() => api?.close());

  it('should not configure a client without a key', () => {
    expect(llmClient(loadConfig({}))).toBeUndefined();
  });

  it('should extract with one strict structured-output call and normalise the answer', async () => {
    api.script({ kind: 'content', content: ANSWER });
    const before = api.requests().length;
    const result = await extractWithLlm(MESSAGE, context, llm, logger);

    expect(result.source).toBe('llm');
    expect(result.extraction).toMatchObject({
      language: 'ru',
      phones: ['+79161234567'],
      name: 'Анна',
      quantities: [{ value: 3, unit: 'window' }],
      when: { date: '2026-11-27', time: '14:00', at: '2026-11-27T14:00:00+03:00' },
      address: 'ул. Ленина 5',
      intents: ['windows'],
    });
    const requests = api.requests().slice(before);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.authorization).toBe(`Bearer ${api.apiKey}`);
    expect(request?.body.model).toBe('gpt-test');
    expect(request?.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'client_message', strict: true, schema: LLM_EXTRACTION_JSON_SCHEMA },
    });
    expect(request?.body.messages?.[0]?.content).toContain('Europe/Moscow');
    expect(request?.body.messages?.[1]).toEqual({ role: 'user', content: MESSAGE });
  });

  it.each([
    ['malformed JSON', { kind: 'content' as const, content: '{"language": "ru", "phones": [' }, 'answer is not JSON'],
    [
      'an object that breaks the schema',
      { kind: 'content' as const, content: { ...ANSWER, intents: ['teleport'], budget: { amount: '5 млн' } } },
      'answer breaks the schema',
    ],
    [
      'a date that is not a date',
      { kind: 'content' as const, content: { ...ANSWER, when: { date: 'завтра', time: null, text: 'завтра' } } },
      'answer breaks the schema',
    ],
    ['a refusal', { kind: 'refusal' as const, refusal: "I'm sorry, I can't help with that." }, 'refused'],
    [
      '429 rate limit',
      { kind: 'error' as const, status: 429, code: 'rate_limit_exceeded', retryAfterSeconds: 20 },
      'HTTP 429',
    ],
    ['500 server error', { kind: 'error' as const, status: 500, code: 'server_error' }, 'HTTP 500'],
  ])('should fall back to the offline extractor on %s, once, and log why', async (_, reply, reason) => {
    api.script(reply);
    logged.length = 0;
    const before = api.requests().length;
    const result = await extractWithLlm(MESSAGE, context, llm, logger);

    expect(result.source).toBe('offline');
    expect(result.fallbackReason).toContain(reason);
    expect(result.extraction).toEqual(extractOffline(MESSAGE, context));
    // The SDK does not retry: a waiting client gets the offline answer at once.
    expect(api.requests().length - before).toBe(1);
    expect(logged).toEqual([expect.objectContaining({ reason: expect.stringContaining(reason) })]);
  });

  it('should give up on a model that does not answer within the timeout', async () => {
    api.script({ kind: 'hang' });
    const started = Date.now();
    const result = await extractWithLlm(MESSAGE, context, llm, logger);
    const took = Date.now() - started;

    expect(result).toMatchObject({ source: 'offline', fallbackReason: 'timed out' });
    expect(result.extraction.phones).toEqual(['+79161234567']);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(5000);
  });

  it('should work offline without a client, asking nobody', async () => {
    const before = api.requests().length;
    expect(await extractWithLlm(MESSAGE, context, undefined)).toEqual({
      extraction: extractOffline(MESSAGE, context),
      source: 'offline',
    });
    expect(api.requests().length).toBe(before);
  });
});
