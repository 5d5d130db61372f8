import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { z } from 'zod';
import { buildSnapshot } from '../../../server/flows/build-snapshot.js';
import { customFieldModels, type CustomFieldRecord } from '../../../server/custom-fields/custom-field-models.js';
import { messageModel } from '../../../server/messaging/message-model.js';
import { completeStructured } from '../llm/complete-structured.js';
import type { LlmClient } from '../llm/llm-client.js';
import { HANDOFF_TEXTS } from './handoff-texts.js';

const SUMMARY_JSON_SCHEMA = {
  type: 'object',
  properties: { summary: { type: 'string', description: 'Two or three sentences for the manager' } },
  required: ['summary'],
  additionalProperties: false,
};
const summarySchema = z.strictObject({ summary: z.string().min(1).max(2000) });

/** How many of the client's last messages the model reads. */
const RECENT_MESSAGES = 12;

function shown(value: unknown, field: CustomFieldRecord | undefined, language: 'ru' | 'en'): string {
  const option = field?.options.find((candidate) => candidate.value === value);
  if (option) return (language === 'en' && option.label.en) || option.label.ru;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** "Label: value" lines of what the contact and the deal hold, in the staff's language. */
async function factLines(
  db: Connection,
  subject: { contactId: string; conversationId: string },
  language: 'ru' | 'en',
): Promise<string[]> {
  const snapshot = await buildSnapshot(db, subject);
  const fields = await customFieldModels(db).CustomField.find().lean<CustomFieldRecord[]>();
  const label = (entity: string, key: string) => {
    const field = fields.find((candidate) => candidate.entity === entity && candidate.key === key);
    return { field, text: field ? (language === 'en' && field.label.en) || field.label.ru : key };
  };
  const en = language === 'en';
  const { contact, deal } = snapshot;
  const lines: string[] = [];
  if (contact?.name) lines.push(`${en ? 'Name' : 'Имя'}: ${contact.name}`);
  if (contact?.phone) lines.push(`${en ? 'Phone' : 'Телефон'}: ${contact.phone}`);
  if (contact?.email) lines.push(`E-mail: ${contact.email}`);
  for (const [entity, values] of [
    ['contact', contact?.fields],
    ['deal', deal?.fields],
  ] as const) {
    for (const [key, value] of Object.entries(values ?? {})) {
      if (value === null || value === undefined || value === '') continue;
      const { field, text } = label(entity, key);
      lines.push(`${text}: ${shown(value, field, language)}`);
    }
  }
  return lines;
}

/**
 * The private note a person gets when the bot hands a conversation over: what the bot learned
 * (the contact's and the deal's fields). With an LLM, a short summary of the client's messages
 * and those facts comes first; any failure of the model leaves the field list alone.
 */
export async function summarizeLead(
  db: Connection,
  subject: { contactId: string; conversationId: string },
  options: { language: 'ru' | 'en'; llm?: LlmClient; logger?: Pick<Logger, 'warn'> },
): Promise<string> {
  const { language, llm } = options;
  const facts = await factLines(db, subject, language);
  const list = [
    HANDOFF_TEXTS.summaryTitle[language],
    ...(facts.length ? facts : [HANDOFF_TEXTS.nothingKnown[language]]),
  ];
  if (!llm) return list.join('\n');
  const messages = await messageModel(db)
    .find({ conversationId: subject.conversationId, direction: 'in' })
    .sort({ createdAt: -1 })
    .limit(RECENT_MESSAGES)
    .lean();
  const said = messages
    .reverse()
    .map((message) => (message.content.kind === 'text' ? message.content.text : ''))
    .filter(Boolean);
  const result = await completeStructured(llm, {
    name: 'handoff_summary',
    system: [
      'Summarise for a sales manager, in two or three sentences, what this client wants and what is known.',
      `Write in ${language === 'ru' ? 'Russian' : 'English'}. Use only the facts and messages below; never add anything.`,
      '',
      'Facts:',
      ...facts,
    ].join('\n'),
    user: said.join('\n') || '(no messages)',
    jsonSchema: SUMMARY_JSON_SCHEMA,
    schema: summarySchema,
  });
  if (!result.ok) {
    options.logger?.warn({ reason: result.reason, model: llm.model }, 'LLM summary failed; noting the field list');
    return list.join('\n');
  }
  return [result.value.summary, '', ...list].join('\n');
}
