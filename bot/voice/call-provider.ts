import type { DownloadedMedia, InboundRequest, WebhookReply } from '../channels/channel-adapter.js';
import type { InboundEvent } from '../channels/channel-events.js';
import type { VoiceAccount } from './voice-schemas.js';

/**
 * One telephony provider behind the voice channel: how it signs its webhooks, how they describe a
 * finished call and its recording, and how the recording is fetched.
 */
export interface CallProvider {
  /** Throws WebhookAuthError unless the provider signed the request for this account. */
  verify(request: InboundRequest, account: VoiceAccount): void;
  /** Finished calls and recordings; MalformedPayloadError on anything unreadable. */
  parse(request: InboundRequest, account: VoiceAccount): InboundEvent[];
  downloadRecording(fileRef: string, account: VoiceAccount): Promise<DownloadedMedia>;
  /** A provider's address check (Zadarma's `zd_echo`), as ChannelAdapter.handshake. */
  handshake?(request: InboundRequest): string | undefined;
  readonly webhookReply: WebhookReply;
}
