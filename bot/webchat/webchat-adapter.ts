import { z } from 'zod';
import type { ChannelAdapter, InboundRequest, SendContext } from '../channels/channel-adapter.js';
import { MalformedPayloadError, SendError, WebhookAuthError } from '../channels/channel-errors.js';
import type { InboundMessageEvent, MessageContent, OutboundMessage } from '../channels/channel-events.js';
import { isAllowedOrigin } from './is-allowed-origin.js';
import type { VisitorMessage } from './visitor-message.js';
import { visitorInboundSchema, type VisitorInbound } from './visitor-payloads.js';
import {
  webchatSecretsSchema,
  webchatSettingsSchema,
  type WebchatAccount,
  type WebchatSettings,
} from './webchat-settings.js';

export type { VisitorMessage } from './visitor-message.js';

/** How the site chat reaches a visitor's open widgets; the server pushes to the visitor's socket.io room. */
export interface VisitorDelivery {
  /** Resolves once the message is handed over; a visitor with no widget open reads it in the history later. */
  deliver(accountId: string, visitorId: string, message: VisitorMessage): Promise<void>;
}

/** Prefix of a file the visitor uploaded through our files endpoint: we hold it already. */
const KEPT_FILE = 'kept:';

const visitorIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);

/**
 * The site chat widget as a channel. There is no provider: the visitor namespace turns each socket
 * message into an InboundRequest (method SOCKET, the browser's Origin, the visitor id in the
 * query, the payload as the body), and replies go back through VisitorDelivery.
 */
export function createWebchatAdapter(
  visitors: VisitorDelivery,
): ChannelAdapter<WebchatSettings, Record<string, never>> {
  return {
    type: 'webchat',
    capabilities: {
      maxButtons: 10,
      maxButtonTextLength: 60,
      maxTextLength: 10_000,
      media: true,
      // No provider quota: sends are pushes through our own realtime server; the rate only keeps a
      // runaway flow from flooding a visitor's widget.
      defaultRatePerSecond: 50,
      optOutKeywords: 'chat',
    },
    settingsSchema: webchatSettingsSchema,
    secretsSchema: webchatSecretsSchema,

    verify(request: InboundRequest, account: WebchatAccount): void {
      if (!isAllowedOrigin(account.settings, request.headers.origin)) {
        throw new WebhookAuthError(
          `The site ${String(request.headers.origin ?? '(no origin)')} is not allowed for this chat`,
        );
      }
    },

    parse(request: InboundRequest): InboundMessageEvent[] {
      const visitorId = visitorIdSchema.safeParse(request.query.visitorId);
      if (!visitorId.success) throw new MalformedPayloadError('The visitor id is missing or malformed');
      const payload = visitorInboundSchema.safeParse(readJson(request.rawBody));
      if (!payload.success) throw new MalformedPayloadError(z.prettifyError(payload.error));
      return [toMessageEvent(visitorId.data, payload.data)];
    },

    async send(message: OutboundMessage, context: SendContext, account: WebchatAccount) {
      const media = message.media;
      try {
        await visitors.deliver(account.id, context.chatId, {
          id: context.messageId,
          direction: 'out',
          text: message.text,
          buttons: message.buttons?.map(({ id, text }) => ({ id, text })),
          media: media && {
            url: context.fileUrl(media),
            kind: media.kind,
            fileName: media.fileName,
            mimeType: media.mimeType,
          },
          createdAt: new Date().toISOString(),
        });
      } catch (error) {
        if (error instanceof SendError) throw error;
        // Delivery is a push to our own realtime server (Redis): a failure there is ours and passes.
        throw new SendError('transient', `The widget could not be reached: ${errorMessage(error)}`);
      }
      return { externalMessageId: context.messageId };
    },

    async downloadMedia(fileRef: string) {
      // A visitor's file reaches us through the files endpoint before the message does, so parse
      // only ever returns `kept:` refs, which ingest reads from our own storage instead of calling this.
      if (fileRef.startsWith(KEPT_FILE)) {
        throw new Error(`The site chat file ${fileRef} is already kept: read it from file storage, not the channel`);
      }
      throw new Error(`The site chat has no provider to download ${fileRef} from`);
    },
  };
}

function readJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedPayloadError('The message body is not JSON');
  }
}

function toContent(payload: VisitorInbound): MessageContent {
  if (payload.button) return { kind: 'button', payload: payload.button.id, text: payload.button.text };
  if (payload.file) {
    const { fileId, kind, mimeType, fileName, size } = payload.file;
    return {
      kind: 'media',
      media: { kind, fileRef: `${KEPT_FILE}${fileId}`, mimeType, fileName, size },
      ...(payload.text === undefined ? {} : { caption: payload.text }),
    };
  }
  if (payload.text !== undefined) return { kind: 'text', text: payload.text };
  throw new MalformedPayloadError('A message needs text, a file or a button');
}

function toMessageEvent(visitorId: string, payload: VisitorInbound): InboundMessageEvent {
  const page = payload.page;
  return {
    type: 'message',
    // The client's own id, so a resend after a lost ack is the same message to ingest.
    externalMessageId: `${visitorId}:${payload.clientMessageId}`,
    from: { externalId: visitorId },
    chatId: visitorId,
    // The visitor's clock is not to be trusted; the message arrives the moment it is sent.
    sentAt: new Date(),
    content: toContent(payload),
    ...(page ? { source: { url: page.url, ...(page.utm ? { utm: stripEmpty(page.utm) } : {}) } } : {}),
  };
}

function stripEmpty(utm: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(utm).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
