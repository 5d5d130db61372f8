import type { DownloadedMedia, InboundRequest, SendResult, WebhookReply } from '../channels/channel-adapter.js';
import type { InboundEvent } from '../channels/channel-events.js';
import type { SmsAccount } from './sms-schemas.js';

/**
 * One SMS provider behind the SMS channel: how it signs and shapes its webhooks, and how a text
 * goes out through it. The channel picks the provider by the account's `provider` setting.
 */
export interface SmsProvider {
  /** Throws WebhookAuthError unless the request is signed by the provider for this account. */
  verify(request: InboundRequest, account: SmsAccount): void;
  /** Inbound texts and delivery statuses; MalformedPayloadError on anything unreadable. */
  parse(request: InboundRequest, account: SmsAccount): InboundEvent[];
  /** Sends one text to a number in E.164; throws a classified SendError. */
  send(text: string, to: string, account: SmsAccount, context: { webhookUrl: string }): Promise<SendResult>;
  downloadMedia(fileRef: string, account: SmsAccount): Promise<DownloadedMedia>;
  /** The body the provider must get with its 200. */
  readonly webhookReply: WebhookReply;
}
