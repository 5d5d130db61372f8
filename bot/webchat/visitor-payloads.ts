import { z } from 'zod';
import { MEDIA_KINDS } from '../channels/channel-events.js';
import { contactChecks } from './contact-checks.js';
import { VISITOR_ID_PATTERN } from './visitor-id.js';

/**
 * What the widget sends to the server. Classic zod, parsed on the server only; the widget imports
 * the inferred types, which cost nothing in its bundle.
 */

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** socket.io's handshake `auth`. A bad visitor id or locale is replaced, not refused: the visitor gets a fresh one. */
export const visitorAuthSchema = z.object({
  channelId: z.string().trim().min(1, 'auth.channelId is required').max(100),
  visitorId: z.string().regex(VISITOR_ID_PATTERN).optional().catch(undefined),
  locale: z.enum(LOCALES).catch('ru'),
});

/** The page the visitor writes from: the inbox shows it, and the UTM tags say which campaign brought the lead. */
export const visitorPageSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  referrer: z.string().max(2000).optional(),
  /** The standard utm_* parameters, named without the prefix like the contact's own UTM fields. */
  utm: z
    .strictObject({
      source: z.string().max(200).optional(),
      medium: z.string().max(200).optional(),
      campaign: z.string().max(200).optional(),
      term: z.string().max(200).optional(),
      content: z.string().max(200).optional(),
    })
    .optional(),
});

/** A file the visitor already uploaded through the files endpoint. */
export const visitorFileSchema = z.strictObject({
  fileId: z.string().min(1).max(200),
  kind: z.enum(MEDIA_KINDS),
  mimeType: z.string().min(1).max(200),
  fileName: z.string().min(1).max(300),
  size: z.number().int().nonnegative(),
});

/** One message from the widget: text, a file (with an optional caption) or the tap of a button. */
export const visitorInboundSchema = z
  .strictObject({
    /** Made by the widget; a resend after a lost ack carries the same one, so ingest stores it once. */
    clientMessageId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientMessageId must be 8 to 64 letters, digits, _ or -'),
    text: z.string().trim().min(1, 'The text is empty').max(10_000).optional(),
    file: visitorFileSchema.optional(),
    button: z.strictObject({ id: z.string().min(1).max(200), text: z.string().trim().min(1).max(200) }).optional(),
    page: visitorPageSchema.optional(),
  })
  .refine((message) => Boolean(message.text ?? message.file ?? message.button), {
    message: 'A message needs text, a file or a button',
  })
  .refine((message) => !(message.button && (message.text || message.file)), {
    message: 'A button tap carries nothing else',
  });
export type VisitorInbound = z.infer<typeof visitorInboundSchema>;

export const historyRequestSchema = z.strictObject({
  /** The id of the oldest message the widget shows: the answer is the page before it. */
  before: z.string().min(1).max(300).optional(),
});
export type HistoryRequest = z.infer<typeof historyRequestSchema>;

export const typingRequestSchema = z.strictObject({ typing: z.boolean() });
export type TypingRequest = z.infer<typeof typingRequestSchema>;

/** Left when nobody is online to answer: a name and a way to call back. */
export const offlineFormSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'The name is empty').max(200),
    phone: z.string().trim().max(40).refine(contactChecks.phone, 'Not a phone number').optional(),
    email: z.string().trim().max(300).refine(contactChecks.email, 'Not an e-mail address').optional(),
    message: z.string().trim().max(5000).optional(),
    locale: z.enum(LOCALES),
  })
  .refine((form) => Boolean(form.phone || form.email), { message: 'A phone or an e-mail is needed to call back' });
export type OfflineForm = z.infer<typeof offlineFormSchema>;
