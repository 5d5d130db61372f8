import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { InboundEvent, OutboundMedia, OutboundMessage } from './channel-events.js';
import type { OptOutKeywords } from './consent-keyword.js';

/** What a channel can carry; the outbound path and the bot shape messages to fit. */
export interface ChannelCapabilities {
  /** Buttons on one message (0: none; the text lists the choices instead). */
  maxButtons: number;
  maxButtonTextLength: number;
  maxTextLength: number;
  media: boolean;
  /**
   * The provider's customer-service window: after this many hours without a message from the
   * person only templates may be sent (WhatsApp: 24). Absent: no window.
   */
  serviceWindowHours?: number;
  /** Least time between two messages to one chat (Telegram: about one per second per chat). */
  perChatIntervalMs?: number;
  /** The provider posts delivery statuses (sent, delivered, read) for what we send (WhatsApp). */
  reportsDeliveryStatus?: boolean;
  /** Messages per second one account may send in all, unless the account sets its own. */
  defaultRatePerSecond: number;
  /**
   * The channel only records what happened (call records): nothing can be sent on it, so a reply
   * is refused before it is queued.
   */
  readOnly?: boolean;
  /**
   * People opt out by writing a keyword alone (STOP, СТОП, ОТПИСАТЬСЯ, UNSUBSCRIBE; START, СТАРТ
   * opt back in; see bot/channels/consent-keyword.ts): a contact who did gets nothing more on this
   * channel until they opt back in. `carrier` adds the words phone carriers act on for SMS
   * (CANCEL, END, QUIT…), which in a chat are too often an answer to the bot.
   */
  optOutKeywords?: OptOutKeywords;
}

/** A webhook request as the adapter sees it: the raw bytes matter for signature checks. */
export interface InboundRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  rawBody: Buffer;
  /**
   * The full URLs the provider may have called, most likely first: PUBLIC_URL joined with the
   * request's path, then the address the request itself names (Host, X-Forwarded-Proto). Only
   * signatures over the URL (Twilio's) need them; a proxy in between is why there are two.
   */
  urls?: string[];
}

/** A body the provider requires with its 200 (see ChannelAdapter.webhookReplyFor). */
export interface WebhookReply {
  contentType: string;
  body: string;
}

/** One connected account (a bot, a business number, a site), its secrets already decrypted. */
export interface ChannelAccount<Settings = Record<string, unknown>, Secrets = Record<string, string>> {
  id: string;
  type: string;
  name: string;
  settings: Settings;
  secrets: Secrets;
  /**
   * A demo account served by the app's own provider sandbox (the demo's Telegram bot) instead of
   * the provider: set by the demo seed only, never through the API.
   */
  sandbox?: boolean;
}

export interface SendContext {
  /** Where the message goes: the conversation's chat id on the channel. */
  chatId: string;
  /** Our message id; adapters may pass it where a provider echoes something back. */
  messageId: string;
  /** The bytes of a kept file, for channels that upload rather than link. */
  openFile(media: OutboundMedia): Promise<Readable>;
  /** A URL the provider can fetch the file from, for channels that link. */
  fileUrl(media: OutboundMedia): string;
  /**
   * The latest message the person sent in this conversation, as stored, for channels whose reply
   * answers it (e-mail's In-Reply-To, References, "Re: subject"); read only when asked for.
   */
  lastInbound?(): Promise<EarlierMessage | undefined>;
}

/** A message the person sent earlier: its provider id and its stored content, which the adapter parses. */
export interface EarlierMessage {
  externalMessageId: string;
  content: unknown;
}

export interface SendResult {
  /** The provider's id of the sent message: later status events refer to it. */
  externalMessageId: string;
}

export interface DownloadedMedia {
  body: Readable;
  mimeType?: string;
  fileName?: string;
  size?: number;
}

/**
 * The one interface a channel implements. Adapters are pure translators between a provider's
 * API and the normalized events: they store nothing and know nothing of contacts or queues.
 */
export interface ChannelAdapter<Settings = Record<string, unknown>, Secrets = Record<string, string>> {
  readonly type: string;
  readonly capabilities: ChannelCapabilities;
  /** The fields an admin gives to connect an account, non-secret ones. */
  readonly settingsSchema: z.ZodType<Settings>;
  /** The secret fields: stored encrypted, never returned by the API. */
  readonly secretsSchema: z.ZodType<Secrets>;
  /**
   * Throws WebhookAuthError unless the request provably comes from the provider for this account
   * (secret token header, HMAC signature). Must compare in constant time.
   */
  verify(request: InboundRequest, account: ChannelAccount<Settings, Secrets>): void;
  /** The events in a verified payload; throws MalformedPayloadError on anything it cannot read. */
  parse(request: InboundRequest, account: ChannelAccount<Settings, Secrets>): InboundEvent[];
  /** Sends one message; throws SendError classifying any failure. */
  send(message: OutboundMessage, context: SendContext, account: ChannelAccount<Settings, Secrets>): Promise<SendResult>;
  /** Fetches an inbound file from the provider by the `fileRef` its parse returned. */
  downloadMedia(fileRef: string, account: ChannelAccount<Settings, Secrets>): Promise<DownloadedMedia>;
  /**
   * Answers a provider's subscription handshake (WhatsApp's GET hub.challenge, VK's POSTed
   * `confirmation` event) with the text to send back; undefined when the request is not one. Asked
   * before `verify` on every webhook request. Throws WebhookAuthError when it is one with a wrong token.
   */
  handshake?(request: InboundRequest, account: ChannelAccount<Settings, Secrets>): string | undefined;
  /**
   * The body the provider requires with a 200 (VK's Callback API: `ok`, anything else counts as a
   * failed delivery; SMS: empty TwiML for a Twilio number, `100` for SMS.ru, which posts again until
   * it gets it); absent, the webhook answers JSON `{"ok": true}`.
   */
  webhookReplyFor?(account: ChannelAccount<Settings, Secrets>): WebhookReply;
  /**
   * The `source` a contact first met on this channel gets (voice: `call`); the channel type when
   * absent.
   */
  readonly leadSource?: string;
  /**
   * Rules across settings and secrets that the two schemas cannot check apart (a Twilio account
   * needs an auth token, an SMS.ru one an api_id): the problems, each with the field it is about.
   */
  checkAccount?(settings: Settings, secrets: Secrets): { path: string; message: string }[];
  /**
   * Provider-side acknowledgements once the events are durable (Telegram answerCallbackQuery stops
   * the button's spinner). Best effort: a failure here is logged, never retried.
   */
  afterIngest?(events: InboundEvent[], account: ChannelAccount<Settings, Secrets>): Promise<void>;
}
