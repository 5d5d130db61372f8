import { z } from 'zod';

/**
 * The parts of the WhatsApp Business Account webhook the inbox reads
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). Objects are not
 * strict: Meta adds fields (pricing, identity hashes, conversation origin) without notice.
 */

/** Meta sends Unix seconds as a string in message and status timestamps. */
const unixSeconds = z
  .union([z.string().regex(/^\d+$/, 'a Unix timestamp'), z.number().int().nonnegative()])
  .transform((seconds) => new Date(Number(seconds) * 1000));

const mediaSchema = z.object({
  /** The media id: GET /{id} gives a short-lived download URL. */
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  /** Audio only: true for a voice note recorded in WhatsApp, false or absent for an audio file. */
  voice: z.boolean().optional(),
});
export type WhatsappMedia = z.infer<typeof mediaSchema>;

/** A contact card the person shared (type `contacts`). */
const sharedContactSchema = z.object({
  name: z.object({ formatted_name: z.string() }),
  phones: z.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
});

const interactiveSchema = z.object({
  /** button_reply, list_reply; nfm_reply (WhatsApp Flows) and others are not read. */
  type: z.string(),
  button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
  list_reply: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
});

export const whatsappMessageSchema = z.object({
  /** The person's WhatsApp id (wa_id). */
  from: z.string().min(1),
  /** The wamid. */
  id: z.string().min(1),
  timestamp: unixSeconds,
  type: z.string().min(1),
  /** Present when the person replied to (or tapped a button on) an earlier message. */
  context: z.object({ id: z.string().optional(), from: z.string().optional() }).optional(),
  /** Present on the first message after a tap on a Click to WhatsApp ad. */
  referral: z
    .object({ source_id: z.string().optional(), source_url: z.string().optional(), source_type: z.string().optional() })
    .optional(),
  text: z.object({ body: z.string() }).optional(),
  image: mediaSchema.optional(),
  video: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  document: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  contacts: z.array(sharedContactSchema).optional(),
  interactive: interactiveSchema.optional(),
  /** A tap on a template's quick-reply button; payload is absent when the template defines none. */
  button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
});
export type WhatsappMessage = z.infer<typeof whatsappMessageSchema>;

const statusErrorSchema = z.object({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

export const whatsappStatusSchema = z.object({
  /** The wamid our send got back. */
  id: z.string().min(1),
  /** sent, delivered, read, failed; Meta also documents others (deleted, warning) the inbox does not track. */
  status: z.string(),
  timestamp: unixSeconds,
  recipient_id: z.string().optional(),
  errors: z.array(statusErrorSchema).optional(),
});
export type WhatsappStatus = z.infer<typeof whatsappStatusSchema>;

/** The `value` of a change whose field is `messages`. */
export const whatsappMessagesValueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string().min(1), display_phone_number: z.string().optional() }),
  /** The senders' profiles: one per person whose messages are in this change. */
  contacts: z
    .array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() }))
    .optional(),
  messages: z.array(whatsappMessageSchema).optional(),
  statuses: z.array(whatsappStatusSchema).optional(),
});
export type WhatsappMessagesValue = z.infer<typeof whatsappMessagesValueSchema>;

export const whatsappWebhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      /** The WhatsApp Business Account id. */
      id: z.string().optional(),
      /** Other fields (template status, account updates) carry other shapes: read only after the field check. */
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});
