import type { ChannelAccount, ChannelAdapter, InboundRequest } from '../../bot/channels/channel-adapter.js';

/** What the provider's stand-in received from us, in one shape for every channel. */
export interface SentRecord {
  chatId: string;
  text?: string;
  /** Button captions as the person would see them, in order. */
  buttons?: string[];
  mediaKind?: string;
  template?: string;
}

/** A local server speaking the provider's API, with switches to make it fail like the provider does. */
export interface ProviderStandIn {
  sent(): SentRecord[];
  /** The next send answers like the provider does when rate limiting (Telegram 429 retry_after, WhatsApp 130429). */
  failNextWithRateLimit(retryAfterSeconds: number): void;
  /** The next send answers like the provider does when the person blocked the bot / cannot be reached. */
  failNextWithBlocked(): void;
  /** The next send answers 500. */
  failNextWithServerError(): void;
  close(): Promise<void>;
}

/**
 * One channel as the shared conformance suite (adapter-conformance.test.ts) drives it: every
 * adapter gets the same checks through its own fixture.
 */
export interface AdapterFixture {
  type: string;
  adapter: ChannelAdapter;
  /** Starts the stand-in and returns an account configured against it. */
  start(): Promise<{ account: ChannelAccount; standIn: ProviderStandIn }>;
  /** A correctly signed provider request carrying one text message, as the provider documents it. */
  textMessage(
    account: ChannelAccount,
    message: { chatId: string; externalMessageId: string; text: string; senderName: string },
  ): InboundRequest;
  /** The same kind of request with a wrong secret or signature. */
  badlySigned(account: ChannelAccount): InboundRequest;
  /** Correctly signed requests whose bodies the adapter must refuse with MalformedPayloadError. */
  malformed(account: ChannelAccount): InboundRequest[];
  /**
   * What parse makes of `textMessage` when its messages are not text (a call record: the voice
   * channel's "message" is a finished call); `{ kind: 'text', text }` when absent.
   */
  expectedContent?(text: string): unknown;
}

/**
 * A fixture whose requests take an asynchronous parser to build: e-mail's are made by the same
 * mailparser-based reader the mailbox sync uses. The suite awaits every fixture's requests.
 */
export type AsyncAdapterFixture = Omit<AdapterFixture, 'textMessage' | 'badlySigned'> & {
  textMessage(...args: Parameters<AdapterFixture['textMessage']>): Promise<InboundRequest>;
  badlySigned(account: ChannelAccount): Promise<InboundRequest>;
};
