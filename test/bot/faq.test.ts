import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../bot/assistant/faq/answer-question.js';
import { KnowledgeIndex } from '../../bot/assistant/faq/knowledge-index.js';
import { parseKnowledgeMarkdown } from '../../bot/assistant/faq/parse-knowledge-markdown.js';
import type { LlmClient } from '../../bot/assistant/llm/llm-client.js';
import { llmClient } from '../../bot/assistant/llm/llm-client.js';
import { loadConfig } from '../../server/config/config.js';
import { startOpenAiApi, type OpenAiApiStandIn } from '../stand-ins/openai-api.js';

const QUESTIONS: [template: string, question: string, language: 'ru' | 'en', section: string][] = [
  ['windows', 'Сколько стоит окно?', 'ru', 'faq.ru.md#цены-на-окна'],
  ['windows', 'Какая у вас гарантия?', 'ru', 'faq.ru.md#гарантия'],
  ['windows', 'можно в рассрочку?', 'ru', 'faq.ru.md#рассрочка-и-оплата'],
  ['windows', 'до скольки вы работаете в субботу', 'ru', 'faq.ru.md#часы-работы'],
  ['windows', 'замер платный?', 'ru', 'faq.ru.md#замер'],
  ['windows', 'сколько ждать изготовление и доставку', 'ru', 'faq.ru.md#доставка-и-монтаж'],
  ['windows', 'а входные двери ставите?', 'ru', 'faq.ru.md#двери'],
  ['windows', 'How much is a window?', 'en', 'faq.en.md#window-prices'],
  ['windows', 'Do you offer installments?', 'en', 'faq.en.md#installments-and-payment'],
  ['windows', 'When are you open?', 'en', 'faq.en.md#working-hours'],
  ['ecostroy', 'сколько стоит дом 120 м2', 'ru', 'faq.ru.md#цены-на-строительство'],
  ['ecostroy', 'как долго строить дом', 'ru', 'faq.ru.md#сроки-строительства'],
  ['ecostroy', 'есть ипотека?', 'ru', 'faq.ru.md#оплата-рассрочка-и-ипотека'],
  ['ecostroy', 'можно посмотреть участок?', 'ru', 'faq.ru.md#консультация-и-выезд-на-участок'],
  ['realty', 'какая комиссия агентства', 'ru', 'faq.ru.md#стоимость-услуг-агентства'],
  ['realty', 'хочу продать квартиру', 'ru', 'faq.ru.md#продажа-квартиры'],
  ['realty', 'помогаете с ипотекой?', 'ru', 'faq.ru.md#ипотека-и-рассрочка'],
  ['realty', 'What are your fees?', 'en', 'faq.en.md#agency-fees'],
];

const UNRELATED: [template: string, question: string, language: 'ru' | 'en'][] = [
  ['windows', 'Сколько стоит билет в кино?', 'ru'],
  ['windows', 'какая погода в Париже', 'ru'],
  ['windows', 'кто выиграл чемпионат мира по футболу', 'ru'],
  ['ecostroy', 'рецепт борща', 'ru'],
  ['realty', 'где купить хлеб', 'ru'],
  ['realty', 'Who won the football world cup?', 'en'],
];

describe('knowledge base', () => {
  const indexes = new Map<string, KnowledgeIndex>();
  beforeAll(async () => {
    for (const template of ['windows', 'ecostroy', 'realty'])
      indexes.set(template, await KnowledgeIndex.load(template));
  });
  const index = (template: string) => indexes.get(template)!;

  it('should load every template in Russian and English, the keyword lines hidden', () => {
    for (const template of ['windows', 'ecostroy', 'realty']) {
      const sections = ['ru', 'en'].map((language) =>
        index(template).find('часы работы working hours', language as 'ru' | 'en'),
      );
      expect(sections.every((hits) => hits.length > 0)).toBe(true);
      expect(index(template).size).toBeGreaterThanOrEqual(14);
    }
    const [section] = parseKnowledgeMarkdown(
      '# T\n\nintro\n\n## Гарантия\n\n3 года.\n\n<!-- слова: ремонт -->\n',
      'f.ru.md',
      'ru',
    );
    expect(section).toEqual({
      id: 'f.ru.md#гарантия',
      language: 'ru',
      title: 'Гарантия',
      text: '3 года.',
      keywords: 'ремонт',
    });
  });

  it.each(QUESTIONS)('should answer %s: %j from its section', async (template, question, language, section) => {
    const answer = await answerQuestion(question, { index: index(template), language });
    expect(answer).toMatchObject({ kind: 'answer', sectionIds: [section], source: 'knowledge-base' });
    if (answer.kind === 'answer') expect(answer.text).toBe(index(template).section(section)?.text);
  });

  it.each(UNRELATED)(
    'should be not sure about an unrelated question (%s: %j)',
    async (template, question, language) => {
      expect(await answerQuestion(question, { index: index(template), language })).toEqual({
        kind: 'not-sure',
        source: 'knowledge-base',
      });
    },
  );

  describe('with an LLM', () => {
    let api: OpenAiApiStandIn;
    let llm: LlmClient;
    const logged: { reason?: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });

    beforeAll(async () => {
      api = await startOpenAiApi();
      llm = llmClient(
        loadConfig({ OPENAI_API_KEY: api.apiKey, OPENAI_BASE_URL: api.baseURL, OPENAI_TIMEOUT_MS: '1000' }),
      )!;
    });
    afterAll(() => api?.close());

    it('should word an answer grounded in the retrieved sections only', async () => {
      api.script({
        kind: 'content',
        content: {
          known: true,
          answer: 'Да, рассрочка без переплаты на 6 или 12 месяцев.',
          sectionIds: ['faq.ru.md#рассрочка-и-оплата'],
        },
      });
      const before = api.requests().length;
      const answer = await answerQuestion('Можно оплатить частями?', {
        index: index('windows'),
        language: 'ru',
        llm,
        logger,
      });
      expect(answer).toEqual({
        kind: 'answer',
        text: 'Да, рассрочка без переплаты на 6 или 12 месяцев.',
        sectionIds: ['faq.ru.md#рассрочка-и-оплата'],
        source: 'llm',
      });
      const [request] = api.requests().slice(before);
      const system = request?.body.messages?.[0]?.content ?? '';
      expect(system).toContain('ONLY the knowledge-base sections');
      expect(system).toContain('[faq.ru.md#рассрочка-и-оплата]');
      expect(system).not.toContain('[faq.ru.md#двери]');
      expect(request?.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    });

    it("should say it is not sure when the model says the sections don't answer", async () => {
      api.script({ kind: 'content', content: { known: false, answer: null, sectionIds: [] } });
      expect(
        await answerQuestion('Сколько стоит подоконник из камня?', { index: index('windows'), language: 'ru', llm }),
      ).toEqual({
        kind: 'not-sure',
        source: 'llm',
      });
    });

    it('should not ask the model when nothing in the knowledge base is related', async () => {
      const before = api.requests().length;
      expect(await answerQuestion('какая погода в Париже', { index: index('windows'), language: 'ru', llm })).toEqual({
        kind: 'not-sure',
        source: 'knowledge-base',
      });
      expect(api.requests().length).toBe(before);
    });

    it.each([
      ['malformed JSON', { kind: 'content' as const, content: 'Да, конечно!' }, 'answer is not JSON'],
      [
        'an answer citing a section it was not given',
        {
          kind: 'content' as const,
          content: { known: true, answer: 'Скидка 50 % для всех.', sectionIds: ['faq.ru.md#скидки'] },
        },
        'cites sections',
      ],
      ['a timeout', { kind: 'hang' as const }, 'timed out'],
      ['429', { kind: 'error' as const, status: 429, code: 'rate_limit_exceeded' }, 'HTTP 429'],
    ])('should fall back to the full-text answer on %s and log why', async (_, reply, reason) => {
      api.script(reply);
      logged.length = 0;
      const answer = await answerQuestion('Какая у вас гарантия?', {
        index: index('windows'),
        language: 'ru',
        llm,
        logger,
      });
      expect(answer).toMatchObject({ kind: 'answer', sectionIds: ['faq.ru.md#гарантия'], source: 'knowledge-base' });
      expect(logged).toEqual([expect.objectContaining({ reason: expect.stringContaining(reason) })]);
    });
  });
});
