import { z } from 'zod';
import { INTENTS, QUANTITY_UNITS } from '../extract/extraction-schema.js';

/*
 * The extraction as the model is asked for it. Strict structured outputs require every property
 * to be listed as required and no others allowed; "absent" is therefore null
 * (https://platform.openai.com/docs/guides/structured-outputs#all-fields-must-be-required).
 * Dates come as the client's local day and time: the code, not the model, turns them into instants.
 */
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

export const LLM_EXTRACTION_JSON_SCHEMA = object({
  language: { type: 'string', enum: ['ru', 'en'], description: 'The language the client writes in' },
  phones: { type: 'array', items: { type: 'string' }, description: 'Phone numbers as written' },
  emails: { type: 'array', items: { type: 'string' } },
  name: nullable({ type: 'string', description: "The client's own name, only if they gave it" }),
  quantities: {
    type: 'array',
    items: object({ value: { type: 'number' }, unit: { type: 'string', enum: [...QUANTITY_UNITS] } }),
  },
  budget: nullable(
    object({
      amount: { type: 'number', description: 'In units of the currency, e.g. 5000000 for "5 млн"' },
      currency: { type: 'string', enum: ['RUB', 'USD', 'EUR'] },
      upTo: { type: 'boolean', description: 'true for a ceiling ("до 5 млн")' },
    }),
  ),
  when: nullable(
    object({
      date: { type: 'string', description: 'YYYY-MM-DD in the client time zone' },
      time: nullable({ type: 'string', description: 'HH:mm in the client time zone, if a time was named' }),
      text: { type: 'string', description: 'The words that named the date' },
    }),
  ),
  address: nullable({ type: 'string', description: 'Address or district as written' }),
  intents: { type: 'array', items: { type: 'string', enum: [...INTENTS] } },
});

export const llmExtractionSchema = z.strictObject({
  language: z.enum(['ru', 'en']),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  name: z.string().nullable(),
  quantities: z.array(z.strictObject({ value: z.number(), unit: z.enum(QUANTITY_UNITS) })),
  budget: z
    .strictObject({ amount: z.number().positive(), currency: z.enum(['RUB', 'USD', 'EUR']), upTo: z.boolean() })
    .nullable(),
  when: z
    .strictObject({
      date: z.iso.date(),
      time: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
        .nullable(),
      text: z.string(),
    })
    .nullable(),
  address: z.string().nullable(),
  intents: z.array(z.enum(INTENTS)),
});
export type LlmExtraction = z.infer<typeof llmExtractionSchema>;
