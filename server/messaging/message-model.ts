import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { CallContent, EmailContent, MessageContent, OutboundMessage } from '../../bot/channels/channel-events.js';

export type MessageDirection = 'in' | 'out';
/** received: inbound, stored. Outbound: queued → sending → sent → delivered → read, or failed. */
export type MessageStatus = 'received' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';
export type AuthorKind = 'contact' | 'user' | 'bot' | 'system';

/** A kept file on a message; until fetched from the provider only `fileRef` is known. */
export interface StoredMedia {
  kind: string;
  fileRef?: string;
  fileId?: Types.ObjectId;
  mimeType?: string;
  fileName?: string;
  size?: number;
  state: 'pending' | 'kept' | 'failed';
  error?: string;
}

/** An e-mail as stored: its attachments are kept by the mailbox sync (server/channels/email-sync.ts). */
export type StoredEmailContent = Omit<EmailContent, 'attachments'> & { attachments: StoredMedia[] };

/** A call record: its recording is kept like any received file once the provider has it. */
export type StoredCallContent = Omit<CallContent, 'recording'> & { recording?: StoredMedia };

export type StoredContent =
  | Exclude<MessageContent, { kind: 'media' | 'email' | 'call' }>
  | { kind: 'media'; media: StoredMedia; caption?: string }
  | StoredEmailContent
  | StoredCallContent;

export interface MessageRecord {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: string;
  channelAccountId: Types.ObjectId;
  direction: MessageDirection;
  author: { kind: AuthorKind; id?: Types.ObjectId; name?: string };
  content: StoredContent;
  /** Outbound extras the channel renders (buttons, a template). */
  buttons?: NonNullable<OutboundMessage['buttons']>;
  template?: OutboundMessage['template'];
  /** A new e-mail's subject and HTML part (a broadcast's mail starts a thread rather than answering one). */
  email?: OutboundMessage['email'];
  /** The broadcast that sent this message, if one did (its statuses update the broadcast's counts). */
  broadcastId?: Types.ObjectId;
  /** A marketing message's one-click opt-out link (OutboundMessage.unsubscribeUrl), kept for the sender. */
  unsubscribeUrl?: string;
  /** `<account>|<provider message id>` of inbound messages: the unique key that absorbs redeliveries. */
  dedupeKey?: string;
  /** The provider's id (inbound: theirs; outbound: given when sent), which statuses refer to. */
  externalId?: string;
  status: MessageStatus;
  failure?: { code: string; reason: string };
  attempts: number;
  sentAt?: Date;
  deliveredAt?: Date;
  readAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const messageSchema = new Schema<MessageRecord>(
  {
    conversationId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    channelAccountId: { type: Schema.Types.ObjectId, required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    author: { type: Schema.Types.Mixed, required: true },
    content: { type: Schema.Types.Mixed, required: true },
    buttons: { type: Schema.Types.Mixed, default: undefined },
    template: { type: Schema.Types.Mixed, default: undefined },
    email: { type: Schema.Types.Mixed, default: undefined },
    broadcastId: Schema.Types.ObjectId,
    unsubscribeUrl: String,
    dedupeKey: String,
    externalId: String,
    status: {
      type: String,
      enum: ['received', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed'],
      required: true,
    },
    failure: { type: Schema.Types.Mixed, default: undefined },
    attempts: { type: Number, default: 0 },
    sentAt: Date,
    deliveredAt: Date,
    readAt: Date,
  },
  { versionKey: false, timestamps: true, minimize: false },
);
// Exactly-once ingest: a redelivered webhook collides here instead of making a second message.
messageSchema.index({ dedupeKey: 1 }, { unique: true, partialFilterExpression: { dedupeKey: { $type: 'string' } } });
messageSchema.index({ contactId: 1, _id: -1 });
messageSchema.index({ conversationId: 1, _id: -1 });
messageSchema.index({ channelAccountId: 1, externalId: 1 });
// Inbox search (GET /search/messages): the words of texts, captions and e-mail subjects, stemmed as Russian.
messageSchema.index(
  { 'content.text': 'text', 'content.caption': 'text', 'content.subject': 'text' },
  {
    name: 'message_text',
    default_language: 'russian',
    weights: { 'content.subject': 2, 'content.text': 1, 'content.caption': 1 },
    // MongoDB would read a document's own `language` field as its language; messages have none to give.
    language_override: 'textLanguage',
  },
);
// The outbound dispatcher looks for replies stranded in `queued` every few seconds; only those are indexed.
messageSchema.index({ createdAt: 1 }, { partialFilterExpression: { status: 'queued' } });

function defineModel(db: Connection) {
  return db.model<MessageRecord>('Message', messageSchema);
}

const byConnection = new WeakMap<Connection, Model<MessageRecord>>();

export function messageModel(db: Connection): Model<MessageRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = defineModel(db);
    byConnection.set(db, model);
  }
  return model;
}
