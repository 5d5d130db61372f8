import { MEDIA_KINDS, type MediaKind } from '../../bot/channels/channel-events.js';
import type { VisitorMessage } from '../../bot/webchat/visitor-message.js';
import type { FileLinkSigner } from '../files/signed-file-url.js';
import type { MessageRecord } from './message-model.js';

const VISITOR_STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

function isMediaKind(kind: string): kind is MediaKind {
  return (MEDIA_KINDS as readonly string[]).includes(kind);
}

/**
 * A stored message as the site visitor's widget shows it. Files get signed links (the visitor
 * has no inbox session); operators appear by name, the bot as the bot.
 */
export function toVisitorMessage(record: MessageRecord, links: FileLinkSigner, publicUrl: string): VisitorMessage {
  const { content } = record;
  const text =
    content.kind === 'text'
      ? content.text
      : content.kind === 'media'
        ? content.caption
        : content.kind === 'button' || content.kind === 'email'
          ? content.text
          : content.kind === 'location'
            ? [content.name, content.address].filter(Boolean).join(', ') || `${content.latitude}, ${content.longitude}`
            : content.kind === 'contact'
              ? `${content.name}${content.phone ? ` ${content.phone}` : ''}`
              : undefined;
  const media =
    content.kind === 'media' && content.media.fileId && isMediaKind(content.media.kind)
      ? {
          url: `${publicUrl.replace(/\/$/, '')}${links.path(content.media.fileId.toHexString())}`,
          kind: content.media.kind,
          fileName: content.media.fileName ?? 'file',
          mimeType: content.media.mimeType ?? 'application/octet-stream',
        }
      : undefined;
  const authorKind = record.author.kind === 'system' ? 'bot' : record.author.kind;
  return {
    id: record._id.toHexString(),
    direction: record.direction,
    ...(text ? { text } : {}),
    ...(media ? { media } : {}),
    ...(record.buttons?.length
      ? { buttons: record.buttons.map(({ id, text: caption }) => ({ id, text: caption })) }
      : {}),
    author: {
      kind: authorKind,
      // An operator by name; the bot's messages carry which part of it wrote them ('flow',
      // 'booking'), which the visitor should not see: the widget calls it the bot in their language.
      ...(record.author.name && authorKind === 'user' ? { name: record.author.name } : {}),
    },
    ...(VISITOR_STATUSES.has(record.status) ? { status: record.status as NonNullable<VisitorMessage['status']> } : {}),
    createdAt: record.createdAt.toISOString(),
  };
}
