import type { ConversationRecord } from './conversation-model.js';
import type {
  MessageRecord,
  StoredCallContent,
  StoredContent,
  StoredEmailContent,
  StoredMedia,
} from './message-model.js';

export interface MessageView {
  id: string;
  conversationId: string;
  contactId: string;
  channel: string;
  channelAccountId: string;
  direction: 'in' | 'out';
  author: { kind: string; id?: string; name?: string };
  content: ViewContent;
  buttons?: { id: string; text: string }[];
  template?: { name: string; language: string; parameters: string[] };
  /** The broadcast that sent it: the timeline marks it, the broadcast counts its statuses. */
  broadcastId?: string;
  externalId?: string;
  status: string;
  failure?: { code: string; reason: string };
  sentAt?: string;
  deliveredAt?: string;
  readAt?: string;
  createdAt: string;
}

type ViewMedia = { kind: string; state: string; mimeType?: string; fileName?: string; size?: number; url?: string };
/**
 * An e-mail in lists and realtime pushes: the whole text and the HTML can be large, so they are
 * read on demand (`GET /conversations/:id/messages/:messageId/email`); `full` says there is more.
 */
export type ViewEmailContent = Omit<StoredEmailContent, 'attachments' | 'fullText' | 'html'> & {
  attachments: ViewMedia[];
  full: boolean;
};
/** A call record; `recording.url` plays it once the recording is kept. */
export type ViewCallContent = Omit<StoredCallContent, 'recording'> & { recording?: ViewMedia };
export type ViewContent =
  | Exclude<StoredContent, { kind: 'media' | 'email' | 'call' }>
  | { kind: 'media'; media: ViewMedia; caption?: string }
  | ViewEmailContent
  | ViewCallContent;

/** Kept files are served by the files API, which checks that the reader may see the conversation. */
export function fileUrl(fileId: string): string {
  return `/api/v1/files/${fileId}`;
}

function toViewMedia(media: StoredMedia): ViewMedia {
  return {
    kind: media.kind,
    state: media.state,
    mimeType: media.mimeType,
    fileName: media.fileName,
    size: media.size,
    ...(media.fileId ? { url: fileUrl(media.fileId.toHexString()) } : {}),
  };
}

function toViewContent(content: StoredContent): ViewContent {
  if (content.kind === 'email') {
    const { fullText, html, attachments, ...rest } = content;
    return {
      ...rest,
      attachments: attachments.map(toViewMedia),
      full: Boolean(html) || (fullText !== undefined && fullText.trim() !== content.text.trim()),
    };
  }
  if (content.kind === 'call') {
    const { recording, ...call } = content;
    return recording ? { ...call, recording: toViewMedia(recording) } : call;
  }
  if (content.kind !== 'media') return content;
  return {
    kind: 'media',
    ...(content.caption === undefined ? {} : { caption: content.caption }),
    media: toViewMedia(content.media),
  };
}

const iso = (date: Date | undefined) => date?.toISOString();

export function toMessageView(record: MessageRecord): MessageView {
  return {
    id: record._id.toHexString(),
    conversationId: record.conversationId.toHexString(),
    contactId: record.contactId.toHexString(),
    channel: record.channel,
    channelAccountId: record.channelAccountId.toHexString(),
    direction: record.direction,
    author: {
      kind: record.author.kind,
      ...(record.author.id ? { id: record.author.id.toHexString() } : {}),
      ...(record.author.name ? { name: record.author.name } : {}),
    },
    content: toViewContent(record.content),
    ...(record.buttons?.length ? { buttons: record.buttons } : {}),
    ...(record.template ? { template: record.template } : {}),
    ...(record.broadcastId ? { broadcastId: record.broadcastId.toHexString() } : {}),
    ...(record.externalId ? { externalId: record.externalId } : {}),
    status: record.status,
    ...(record.failure ? { failure: record.failure } : {}),
    sentAt: iso(record.sentAt),
    deliveredAt: iso(record.deliveredAt),
    readAt: iso(record.readAt),
    createdAt: record.createdAt.toISOString(),
  };
}

export interface ConversationView {
  id: string;
  contactId: string;
  channel: string;
  channelAccountId: string;
  status: string;
  handler: string;
  assigneeId?: string;
  teamIds: string[];
  lastMessageAt: string;
  lastMessage?: { direction: 'in' | 'out'; preview: string };
  lastInboundAt?: string;
  /** Messages from the person since the assignee (anyone, while unassigned) last read the conversation. */
  unreadCount: number;
  unreachable: boolean;
  snoozedUntil?: string;
  priority: string;
  labels: string[];
  createdAt: string;
}

export function toConversationView(record: ConversationRecord): ConversationView {
  return {
    id: record._id.toHexString(),
    contactId: record.contactId.toHexString(),
    channel: record.channel,
    channelAccountId: record.channelAccountId.toHexString(),
    status: record.status,
    handler: record.handler,
    ...(record.assigneeId ? { assigneeId: record.assigneeId.toHexString() } : {}),
    teamIds: record.teamIds.map((id) => id.toHexString()),
    lastMessageAt: record.lastMessageAt.toISOString(),
    ...(record.lastMessage ? { lastMessage: record.lastMessage } : {}),
    lastInboundAt: iso(record.lastInboundAt),
    unreadCount: record.unreadCount,
    unreachable: Boolean(record.unreachableAt),
    ...(record.snoozedUntil ? { snoozedUntil: record.snoozedUntil.toISOString() } : {}),
    // Conversations stored before priorities and labels existed have neither field.
    priority: record.priority ?? 'none',
    labels: record.labels ?? [],
    createdAt: record.createdAt.toISOString(),
  };
}

/** A one-line summary for conversation lists and notifications. */
export function previewOf(content: StoredContent): string {
  switch (content.kind) {
    case 'text':
      return content.text.slice(0, 200);
    case 'media':
      return (content.caption || `[${content.media.kind}]`).slice(0, 200);
    case 'location':
      return `[location] ${content.name ?? ''}`.trim();
    case 'contact':
      return `[contact] ${content.name}`;
    case 'button':
      return content.text.slice(0, 200);
    case 'email':
      return (content.subject ? `${content.subject} — ${content.text}` : content.text).slice(0, 200);
    case 'call':
      return `[call ${content.direction}] ${content.outcome}${content.outcome === 'answered' ? ` ${content.durationSec}s` : ''}`;
  }
}
