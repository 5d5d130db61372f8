import type { Logger } from 'pino';
import type { AnswerContext, AnswerParser, OpenQuestion, ParsedAnswer } from '../../../flows/index.js';
import type { AnswerType } from '../../../flows/schema/message-step-schemas.js';
import type { Extraction } from '../extract/extraction-schema.js';
import { parseAnswer } from '../extract/parse-answer.js';
import type { LlmClient } from '../llm/llm-client.js';
import { extractWithLlm } from '../llm/extract-with-llm.js';
import { answerFromExtraction } from './answer-from-extraction.js';

/** How many recent messages keep their extraction: one message meets several flows and steps. */
const REMEMBERED = 50;
const DEFAULT_ZONE = 'Europe/Moscow';

export interface AssistantAnswerParserOptions {
  /** The LLM when OPENAI_API_KEY is set; without it everything is read offline. */
  llm?: LlmClient;
  logger?: Pick<Logger, 'warn'>;
  now?: () => Date;
}

/**
 * The bot's reading of answers for the flows' ask steps (the executor's AnswerParser). An answer
 * to the question asked is read by the offline extractor ("восемь окон", "+7 912 …", "завтра
 * после обеда", a button or its words); when that fails and an LLM is configured, by the model.
 * `findAnswers` reads the other open questions from the same message, with one structured-output
 * call per message (or offline); a message's extraction is remembered, so the several flows and
 * steps it meets never ask the model twice.
 */
export class AssistantAnswerParser implements AnswerParser {
  private readonly understood = new Map<string, Promise<Extraction>>();
  private readonly now: () => Date;

  constructor(private readonly options: AssistantAnswerParserOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async parseAnswer(type: AnswerType, text: string, context: AnswerContext): Promise<ParsedAnswer> {
    const offline = parseAnswer(type, text, {
      locale: context.locale,
      now: this.now(),
      timeZone: context.timeZone ?? DEFAULT_ZONE,
      choices: context.buttons.map((button) => ({ ...(button.id ? { id: button.id } : {}), text: button.text })),
      ...(context.buttonId ? { buttonId: context.buttonId } : {}),
    });
    if (offline.ok) return offline;
    if (!this.options.llm || !text.trim()) return { ok: false };
    const extraction = await this.understand(text, context);
    const value = answerFromExtraction(
      { answer: type, saveTo: context.saveTo ?? '', buttons: context.buttons },
      extraction,
    );
    return value === undefined ? { ok: false } : { ok: true, value };
  }

  async findAnswers(
    text: string,
    questions: readonly OpenQuestion[],
    context: Pick<AnswerContext, 'locale' | 'timeZone'>,
  ): Promise<Record<string, string | number>> {
    if (!text.trim()) return {};
    const extraction = await this.understand(text, context);
    const found: Record<string, string | number> = {};
    for (const question of questions) {
      const value = answerFromExtraction(question, extraction);
      if (value !== undefined) found[question.stepId] = value;
    }
    return found;
  }

  /** What the message says, by the LLM (falling back offline on any failure) or offline. */
  private understand(text: string, context: Pick<AnswerContext, 'locale' | 'timeZone'>): Promise<Extraction> {
    // Per hour as well: "завтра" read yesterday is another day.
    const key = `${context.timeZone ?? DEFAULT_ZONE}|${this.now().toISOString().slice(0, 13)}|${text}`;
    const known = this.understood.get(key);
    if (known) return known;
    const reading = extractWithLlm(
      text,
      { now: this.now(), timeZone: context.timeZone ?? DEFAULT_ZONE, languageHint: context.locale },
      this.options.llm,
      this.options.logger,
    ).then((understood) => understood.extraction);
    this.understood.set(key, reading);
    if (this.understood.size > REMEMBERED) this.understood.delete(this.understood.keys().next().value!);
    return reading;
  }
}
