import { z } from 'zod';

/**
 * What every adapter turns a provider payload into. Ingest, the inbox and the bot only ever see
 * these shapes, never a provider's own.
 */

export const MEDIA_KINDS = ['image', 'video', 'audio', 'voice', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** A file still at the provider: `fileRef` is what the adapter's downloadMedia needs to fetch it. */
export const inboundMediaSchema = z.strictObject({
  kind: z.enum(MEDIA_KINDS),
  fileRef: z.string().min(1).max(2000),
  mimeType: z.string().max(200).optional(),
  fileName: z.string().max(300).optional(),
  size: z.number().int().nonnegative().optional(),
});

export const CALL_OUTCOMES = ['answered', 'missed', 'busy', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * One phone call, whichever way it went: a call is one entry on the contact's timeline, keyed by
 * the provider's call id like any message.
 */
export const callContentSchema = z.strictObject({
  kind: z.literal('call'),
  /** `in`: the client called the company; `out`: someone at the company called the client. */
  direction: z.enum(['in', 'out']),
  /** The numbers (or a softphone's `client:` / SIP name) as the provider gave them. */
  from: z.string().min(1).max(200),
  to: z.string().min(1).max(200),
  /** Who took or made the call: the PBX extension, and its user when the account maps it. */
  operator: z
    .strictObject({ extension: z.string().min(1).max(100), userId: z.string().max(100).optional() })
    .optional(),
  startedAt: z.iso.datetime({ offset: true }),
  /** The talk time for an answered call, the ringing time otherwise, as the provider counts it. */
  durationSec: z.number().int().nonnegative(),
  outcome: z.enum(CALL_OUTCOMES),
  /** The provider's own word for how it ended ('no-answer', 'cancel'), which the outcome sums up. */
  providerStatus: z.string().max(100).optional(),
  /** The recording, still at the provider, when the call's own webhook already names it. */
  recording: inboundMediaSchema.optional(),
});

const emailAddressSchema = z.strictObject({
  address: z.string().min(1).max(320),
  name: z.string().max(300).optional(),
});

/**
 * One e-mail (bot/email). `text` is what the timeline shows: the new words, without the quoted
 * history and the signature; `fullText` and `html` keep the whole mail for "show full message",
 * the HTML only ever sanitised (bot/email/sanitize-email-html.ts). The Message-ID headers thread
 * the replies.
 */
export const emailContentSchema = z.strictObject({
  kind: z.literal('email'),
  subject: z.string().max(1000),
  text: z.string().max(20_000),
  fullText: z.string().max(200_000).optional(),
  html: z.string().max(1_000_000).optional(),
  from: emailAddressSchema,
  to: z.array(emailAddressSchema).max(100),
  cc: z.array(emailAddressSchema).max(100),
  replyTo: emailAddressSchema.optional(),
  messageId: z.string().min(1).max(1000),
  inReplyTo: z.string().max(1000).optional(),
  references: z.array(z.string().max(1000)).max(100),
  attachments: z.array(inboundMediaSchema).max(100),
  /** Written by a machine (out-of-office, autoresponder): kept, but not an answer from the person. */
  autoReply: z.boolean().optional(),
});
export type EmailContent = z.infer<typeof emailContentSchema>;

export const messageContentSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string().max(20_000) }),
  z.strictObject({ kind: z.literal('media'), media: inboundMediaSchema, caption: z.string().max(20_000).optional() }),
  z.strictObject({
    kind: z.literal('location'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().max(500).optional(),
    address: z.string().max(1000).optional(),
  }),
  z.strictObject({
    kind: z.literal('contact'),
    name: z.string().max(300),
    phone: z.string().max(60).optional(),
    /** The shared person's own id on the channel, when the provider gives it. */
    externalId: z.string().max(200).optional(),
  }),
  /** A tap on a button the bot sent: `payload` is the button id, `text` what the person saw. */
  z.strictObject({ kind: z.literal('button'), payload: z.string().max(1000), text: z.string().max(1000) }),
  /** A phone call as the telephony provider recorded it (see callContentSchema). */
  callContentSchema,
  /** An e-mail with its subject, text, sanitised HTML and thread headers (see emailContentSchema). */
  emailContentSchema,
]);
export type MessageContent = z.infer<typeof messageContentSchema>;
export type CallContent = z.infer<typeof callContentSchema>;

/** The person on the other side, as far as the provider tells. */
export const senderSchema = z.strictObject({
  /** Stable id of the person on this channel: Telegram user id, WhatsApp wa_id, widget visitor id. */
  externalId: z.string().min(1).max(200),
  name: z.string().max(300).optional(),
  username: z.string().max(200).optional(),
  phone: z.string().max(60).optional(),
  email: z.string().max(300).optional(),
  language: z.string().max(20).optional(),
});
export type Sender = z.infer<typeof senderSchema>;

export const inboundEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('message'),
    /** The provider's id of this message (or of the callback): with the account it makes ingest idempotent. */
    externalMessageId: z.string().min(1).max(300),
    from: senderSchema,
    /** Where replies go (Telegram chat id, wa_id, visitor id); often the sender's id. */
    chatId: z.string().min(1).max(200),
    sentAt: z.date(),
    content: messageContentSchema,
    /** Where the lead came from: a Telegram /start deep-link payload, the widget page's UTM tags. */
    source: z
      .strictObject({
        payload: z.string().max(500).optional(),
        url: z.string().max(2000).optional(),
        utm: z.record(z.string(), z.string().max(200)).optional(),
      })
      .optional(),
    /** The provider's id of the message this one answers, when it says. */
    replyToExternalId: z.string().max(300).optional(),
  }),
  z.strictObject({
    type: z.literal('status'),
    externalMessageId: z.string().min(1).max(300),
    status: z.enum(['sent', 'delivered', 'read', 'failed']),
    at: z.date(),
    error: z.strictObject({ code: z.string().max(100), reason: z.string().max(2000) }).optional(),
  }),
  /** The person blocked the bot / left the chat: no more messages can reach them there. */
  z.strictObject({ type: z.literal('blocked'), from: senderSchema, at: z.date() }),
  /** The person unblocked the bot / allowed messages again (Telegram `member`, VK message_allow). */
  z.strictObject({ type: z.literal('unblocked'), from: senderSchema, at: z.date() }),
  /**
   * A call's recording, announced after the call itself (Twilio's recording status callback,
   * Zadarma's NOTIFY_RECORD): `externalMessageId` is the call's id, whose entry gets the recording.
   */
  z.strictObject({
    type: z.literal('recording'),
    externalMessageId: z.string().min(1).max(300),
    recording: inboundMediaSchema,
    at: z.date(),
  }),
]);
export type InboundEvent = z.infer<typeof inboundEventSchema>;
export type InboundMessageEvent = Extract<InboundEvent, { type: 'message' }>;
export type InboundStatusEvent = Extract<InboundEvent, { type: 'status' }>;
export type InboundRecordingEvent = Extract<InboundEvent, { type: 'recording' }>;
export type InboundBlockEvent = Extract<InboundEvent, { type: 'blocked' | 'unblocked' }>;

export const outboundButtonSchema = z.strictObject({
  /** Comes back as the `payload` of a `button` message when tapped. */
  id: z.string().min(1).max(200),
  text: z.string().trim().min(1).max(200),
  /** A link button (a broadcast's "Open the catalogue"): opens the page instead of coming back. */
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
});

/** A file we keep (see server/files): adapters read its bytes through the send context. */
export const outboundMediaSchema = z.strictObject({
  fileId: z.string().min(1),
  kind: z.enum(MEDIA_KINDS),
  mimeType: z.string().max(200),
  fileName: z.string().max(300),
  size: z.number().int().nonnegative(),
});

export const outboundMessageSchema = z
  .strictObject({
    text: z.string().max(20_000).optional(),
    media: outboundMediaSchema.optional(),
    buttons: z.array(outboundButtonSchema).max(20).optional(),
    /** A provider-approved template (WhatsApp), the only thing allowed outside the service window. */
    template: z
      .strictObject({
        name: z.string().min(1).max(512),
        language: z.string().min(2).max(15),
        parameters: z.array(z.string().max(1024)).max(20).default([]),
      })
      .optional(),
    /** A new e-mail rather than a reply in a thread (a broadcast): its subject and HTML part; `text` is the plain part. */
    email: z.strictObject({ subject: z.string().min(1).max(998), html: z.string().max(500_000).optional() }).optional(),
    /**
     * Where the person opts out of this channel in one click (server/consent/unsubscribe-link.ts),
     * for marketing sends: e-mail renders it as List-Unsubscribe headers and a footer link.
     */
    unsubscribeUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
  })
  .refine((m) => Boolean(m.text?.trim() || m.media || m.template), {
    message: 'A message needs text, a file or a template',
  });
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;
export type OutboundMedia = z.infer<typeof outboundMediaSchema>;
