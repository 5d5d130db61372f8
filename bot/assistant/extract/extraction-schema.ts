import { z } from 'zod';

/**
 * What the bot understands from one client message, whichever way it was read (the offline
 * extractor or the LLM): the shape both produce, so the flow and the CRM fields never care which.
 */
export const INTENTS = [
  'windows',
  'balcony',
  'doors',
  'house',
  'buy',
  'sell',
  'rent',
  'price',
  'warranty',
  'installments',
  'hours',
  'measurement',
  'delivery',
  'booking',
  'human',
] as const;
export const intentSchema = z.enum(INTENTS);
export type Intent = z.infer<typeof intentSchema>;

export const QUANTITY_UNITS = ['window', 'door', 'balcony', 'room', 'floor', 'sqm', 'sotka', 'item'] as const;

export const quantitySchema = z.object({
  value: z.number().positive(),
  unit: z.enum(QUANTITY_UNITS),
});
export type Quantity = z.infer<typeof quantitySchema>;

export const budgetSchema = z.object({
  amount: z.number().positive(),
  currency: z.enum(['RUB', 'USD', 'EUR']),
  /** "до 5 млн", "up to $50k": a ceiling rather than an estimate. */
  upTo: z.boolean(),
});
export type Budget = z.infer<typeof budgetSchema>;

export const whenSchema = z.object({
  /** The day in the client's time zone, YYYY-MM-DD. */
  date: z.iso.date(),
  /** HH:mm in the client's time zone when a time (or a part of the day) was named. */
  time: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .optional(),
  /** The instant, with the zone's offset: the time, or the start of the day without one. */
  at: z.iso.datetime({ offset: true }),
  text: z.string(),
});
export type When = z.infer<typeof whenSchema>;

export const extractionSchema = z.object({
  language: z.enum(['ru', 'en']),
  /** E.164. */
  phones: z.array(z.string().regex(/^\+\d{8,15}$/)),
  emails: z.array(z.email()),
  name: z.string().min(1).optional(),
  /** Counted things ("3 окна", "120 м²"). */
  quantities: z.array(quantitySchema),
  /** Every plain number written in figures or words, in order. */
  numbers: z.array(z.number()),
  budget: budgetSchema.optional(),
  when: whenSchema.optional(),
  /** Address or district as the client wrote it. */
  address: z.string().min(1).optional(),
  intents: z.array(intentSchema),
});
export type Extraction = z.infer<typeof extractionSchema>;

/** The clock and zone relative dates are read against. */
export interface ExtractContext {
  now: Date;
  timeZone: string;
}
