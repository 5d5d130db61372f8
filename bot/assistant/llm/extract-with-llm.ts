import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { extractEmails } from '../extract/extract-emails.js';
import { extractOffline } from '../extract/extract-offline.js';
import { extractPhones } from '../extract/extract-phones.js';
import { extractionSchema, type ExtractContext, type Extraction } from '../extract/extraction-schema.js';
import { completeStructured } from './complete-structured.js';
import type { LlmClient } from './llm-client.js';
import { LLM_EXTRACTION_JSON_SCHEMA, llmExtractionSchema, type LlmExtraction } from './llm-extraction-schema.js';

export interface UnderstoodMessage {
  extraction: Extraction;
  source: 'llm' | 'offline';
  /** Why the LLM's answer was not used, when it was asked. */
  fallbackReason?: string;
}

function systemPrompt(context: ExtractContext): string {
  const now = DateTime.fromJSDate(context.now, { zone: context.timeZone });
  return [
    'You read one message a client wrote to a company (windows and doors, eco houses, real estate) in Russian or English.',
    'Extract only what the message says; never guess. Use null or an empty list for anything not in it.',
    `Now it is ${now.toFormat('cccc yyyy-MM-dd HH:mm')} in the client's time zone ${context.timeZone}; read relative dates ("завтра после обеда", "next Monday") from it.`,
    'Parts of the day: morning 10:00, afternoon / после обеда 14:00, evening 18:00.',
    'Intent "human" when the client asks for a person or an operator.',
  ].join('\n');
}

/** The model's fields in the shape the offline extractor gives, values normalised by the same code. */
function toExtraction(answer: LlmExtraction, text: string, context: ExtractContext): Extraction {
  const phones = [...new Set(answer.phones.flatMap((phone) => extractPhones(phone)))];
  const emails = [...new Set(answer.emails.flatMap((email) => extractEmails(email)))];
  let when: Extraction['when'];
  if (answer.when) {
    const [hour, minute] = (answer.when.time ?? '00:00').split(':').map(Number);
    const at = DateTime.fromISO(answer.when.date, { zone: context.timeZone }).set({ hour, minute });
    const iso = at.toISO({ suppressMilliseconds: true });
    if (iso)
      when = {
        date: answer.when.date,
        ...(answer.when.time ? { time: answer.when.time } : {}),
        at: iso,
        text: answer.when.text,
      };
  }
  return extractionSchema.parse({
    language: answer.language,
    phones,
    emails,
    ...(answer.name ? { name: answer.name } : {}),
    quantities: answer.quantities.filter((quantity) => quantity.value > 0),
    // Plain numbers are the offline extractor's: the model is not asked for them.
    numbers: extractOffline(text, context).numbers,
    ...(answer.budget ? { budget: answer.budget } : {}),
    ...(when ? { when } : {}),
    ...(answer.address ? { address: answer.address } : {}),
    intents: [...new Set(answer.intents)],
  });
}

/**
 * Understands a message with the LLM when one is configured (one structured-output call), else
 * or on any failure of it with the offline extractor. Never throws into the caller: a malformed or
 * late answer is logged with its reason and the client still gets an answer.
 */
export async function extractWithLlm(
  text: string,
  context: ExtractContext & { languageHint?: 'ru' | 'en' },
  llm: LlmClient | undefined,
  logger?: Pick<Logger, 'warn'>,
): Promise<UnderstoodMessage> {
  const offline = () => extractOffline(text, context);
  if (!llm) return { extraction: offline(), source: 'offline' };
  const result = await completeStructured(llm, {
    name: 'client_message',
    system: systemPrompt(context),
    user: text,
    jsonSchema: LLM_EXTRACTION_JSON_SCHEMA,
    schema: llmExtractionSchema,
  });
  let reason = result.ok ? undefined : result.reason;
  if (result.ok) {
    try {
      return { extraction: toExtraction(result.value, text, context), source: 'llm' };
    } catch (error) {
      reason = `answer does not convert: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`;
    }
  }
  logger?.warn({ reason, model: llm.model }, 'LLM extraction failed; using the offline extractor');
  return { extraction: offline(), source: 'offline', fallbackReason: reason };
}
