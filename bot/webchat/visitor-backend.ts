import type { InboundRequest } from '../channels/channel-adapter.js';
import type { StoredUpload } from './stored-upload.js';
import type { VisitorMessage } from './visitor-message.js';
import type { OfflineForm } from './visitor-payloads.js';
import type { WebchatAccount } from './webchat-settings.js';

export type { StoredUpload } from './stored-upload.js';
export type { WebchatAccount } from './webchat-settings.js';

/**
 * What the visitor namespace and the webchat router need from the server: the store, ingest and
 * operator presence. The server implements it; the widget's transport stays out of the domain.
 */
export interface VisitorBackend {
  /** The connected site chat with this id; undefined when unknown, disabled or not a site chat. */
  findAccount(channelId: string): Promise<WebchatAccount | undefined>;
  /**
   * Verifies, parses and stores one visitor message through the channel's ingest; durable once it
   * resolves, and a resend (same externalMessageId) resolves to the message already stored.
   * Throws WebhookAuthError or MalformedPayloadError.
   */
  ingest(account: WebchatAccount, request: InboundRequest): Promise<VisitorMessage>;
  /**
   * A page of the visitor's conversation, oldest first: the `limit` newest messages, or when
   * `before` (a message id) is given, the newest older than that message.
   */
  history(
    account: WebchatAccount,
    visitorId: string,
    options: { before?: string; limit: number },
  ): Promise<VisitorMessage[]>;
  /** The visitor started or stopped typing (already throttled): the inbox shows it. */
  visitorTyping(account: WebchatAccount, visitorId: string, typing: boolean): Promise<void>;
  /** Whether anyone can answer now; when nobody can, a new visitor gets the offline form. */
  operatorsOnline(account: WebchatAccount): Promise<boolean>;
  /** A lead left while nobody was online. */
  submitOfflineForm(account: WebchatAccount, visitorId: string, form: OfflineForm): Promise<void>;
  /**
   * Keeps an uploaded file for the visitor's next message. Throws an Error with `status` 413 (too
   * big) or 415 (a type not accepted), whose message the visitor sees.
   */
  storeUpload(
    account: WebchatAccount,
    visitorId: string,
    file: { bytes: Buffer; fileName: string; mimeType: string },
  ): Promise<StoredUpload>;
  /** The channel the demo page (GET /demo) embeds when no `?channel=` is given; undefined when there is none. */
  demoChannelId(): Promise<string | undefined>;
}
