import type { CallView } from './call-view.js';
import type { StageChangeView } from './crm/deal-views.js';
import type { EmailContentView } from './email-message.js';

/** What the REST API and the `/inbox` socket send (server/messaging/message-views.ts). */

export const CHANNELS = ['telegram', 'whatsapp', 'webchat', 'vk', 'email', 'sms', 'voice'] as const;
export type ChannelType = (typeof CHANNELS)[number];

export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export interface ConversationView {
  id: string;
  contactId: string;
  /** What the contact is called, given by the list and single reads (not by socket pushes). */
  contactName?: string;
  channel: string;
  channelAccountId: string;
  /** open / pending / resolved today; the conversation actions add more (snoozed). */
  status: string;
  /** 'bot' while the front-door bot answers, 'human' once a person took over. */
  handler: string;
  assigneeId?: string;
  teamIds: string[];
  lastMessageAt: string;
  lastMessage?: { direction: 'in' | 'out'; preview: string };
  lastInboundAt?: string;
  unreadCount: number;
  unreachable: boolean;
  /** While snoozed: when it opens again by itself. */
  snoozedUntil?: string;
  /** none / low / medium / high / urgent; absent in pushes of older servers. */
  priority?: string;
  labels?: string[];
  createdAt: string;
}

export interface MediaView {
  kind: string;
  state: string;
  mimeType?: string;
  fileName?: string;
  size?: number;
  url?: string;
}

export type MessageContentView =
  | { kind: 'text'; text: string }
  | { kind: 'media'; media: MediaView; caption?: string }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { kind: 'contact'; name: string; phone?: string; externalId?: string }
  | { kind: 'button'; payload: string; text: string }
  | EmailContentView
  | CallView;

export type MessageStatus = 'received' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface MessageView {
  id: string;
  conversationId: string;
  contactId: string;
  channel: string;
  channelAccountId: string;
  direction: 'in' | 'out';
  author: { kind: string; id?: string; name?: string };
  content: MessageContentView;
  buttons?: { id: string; text: string }[];
  status: MessageStatus;
  failure?: { code: string; reason: string };
  createdAt: string;
}

export interface NoteView {
  id: string;
  kind: 'note' | 'system';
  text: string;
  authorName: string;
  createdAt: string;
}

export interface TaskView {
  id: string;
  title: string;
  kind: string;
  description?: string;
  dueAt?: string;
  done: boolean;
}

export interface LeadView {
  id: string;
  via: string;
  form?: { id: string; name: string };
  partner?: string;
  source: string;
  answers: { key: string; label: { ru: string; en: string }; value: string }[];
  person: { name?: string; phone?: string; email?: string };
  comment?: string;
}

/** One entry of a contact's timeline (server/messaging/contact-timeline.ts). */
export type TimelineItem =
  | { kind: 'message'; id: string; at: string; message: MessageView }
  | { kind: 'note'; id: string; at: string; note: NoteView }
  | { kind: 'task'; id: string; at: string; task: TaskView }
  | { kind: 'lead'; id: string; at: string; lead: LeadView }
  | { kind: 'stage'; id: string; at: string; stage: StageChangeView };

export interface ContactView {
  id: string;
  name: string;
  phones: { raw: string; e164?: string }[];
  emails: string[];
  identities: { channel: string; accountId?: string; externalId: string }[];
  tags: string[];
  source?: string;
  customFields?: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
