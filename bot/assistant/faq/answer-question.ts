import type { Logger } from 'pino';
import { z } from 'zod';
import { completeStructured } from '../llm/complete-structured.js';
import type { LlmClient } from '../llm/llm-client.js';
import type { KnowledgeIndex } from './knowledge-index.js';

export type FaqAnswer =
  | { kind: 'answer'; text: string; sectionIds: string[]; source: 'knowledge-base' | 'llm' }
  | { kind: 'not-sure'; source: 'knowledge-base' | 'llm'; fallbackReason?: string };

/* Strict structured outputs: every property required, none extra; "no answer" is known: false. */
const GROUNDED_JSON_SCHEMA = {
  type: 'object',
  properties: {
    known: { type: 'boolean', description: 'false when the sections do not answer the question' },
    answer: { anyOf: [{ type: 'string' }, { type: 'null' }], description: "In the client's language" },
    sectionIds: { type: 'array', items: { type: 'string' }, description: 'The ids of the sections used' },
  },
  required: ['known', 'answer', 'sectionIds'],
  additionalProperties: false,
};
const groundedSchema = z.strictObject({
  known: z.boolean(),
  answer: z.string().nullable(),
  sectionIds: z.array(z.string()),
});

/** How weak a section may be and still be shown to the model as context. */
const CONTEXT_MIN_SCORE = 2;

function fromIndex(question: string, language: 'ru' | 'en', index: KnowledgeIndex, fallbackReason?: string): FaqAnswer {
  const hit = index.best(question, language);
  if (!hit) return { kind: 'not-sure', source: 'knowledge-base', ...(fallbackReason ? { fallbackReason } : {}) };
  return { kind: 'answer', text: hit.section.text, sectionIds: [hit.section.id], source: 'knowledge-base' };
}

/**
 * Answers a client's question from the template's knowledge base only. Without an LLM: the best
 * section when it clearly matches, else "not sure". With one: the model words an answer from the
 * few retrieved sections and is told to say it does not know otherwise; an answer citing sections
 * it was not given, a malformed answer or a timeout falls back to the full-text answer. Nothing is
 * ever invented, and nothing throws into the caller.
 */
export async function answerQuestion(
  question: string,
  options: { index: KnowledgeIndex; language: 'ru' | 'en'; llm?: LlmClient; logger?: Pick<Logger, 'warn'> },
): Promise<FaqAnswer> {
  const { index, language, llm, logger } = options;
  if (!llm) return fromIndex(question, language, index);
  const context = index.find(question, language, 3).filter((hit) => hit.score >= CONTEXT_MIN_SCORE);
  // Nothing related in the knowledge base: no model can answer from it, so it is not asked.
  if (context.length === 0) return { kind: 'not-sure', source: 'knowledge-base' };

  const result = await completeStructured(llm, {
    name: 'grounded_answer',
    system: [
      "You answer a client's question for a company, using ONLY the knowledge-base sections below.",
      'If they do not contain the answer, set known to false and answer to null: never guess or add facts,',
      'prices, dates or promises that are not in the sections.',
      `Answer briefly in ${language === 'ru' ? 'Russian' : 'English'}; list the ids of the sections you used.`,
      '',
      ...context.map((hit) => `[${hit.section.id}] ${hit.section.title}\n${hit.section.text}`),
    ].join('\n'),
    user: question,
    jsonSchema: GROUNDED_JSON_SCHEMA,
    schema: groundedSchema,
  });
  let reason: string;
  if (!result.ok) {
    reason = result.reason;
  } else if (!result.value.known) {
    return { kind: 'not-sure', source: 'llm' };
  } else {
    const given = new Set(context.map((hit) => hit.section.id));
    const { answer, sectionIds } = result.value;
    if (answer?.trim() && sectionIds.length > 0 && sectionIds.every((id) => given.has(id))) {
      return { kind: 'answer', text: answer.trim(), sectionIds, source: 'llm' };
    }
    reason = answer?.trim() ? 'answer cites sections it was not given' : 'known without an answer';
  }
  logger?.warn({ reason, model: llm.model }, 'LLM answer failed; answering from the knowledge base');
  return fromIndex(question, language, index, reason);
}
