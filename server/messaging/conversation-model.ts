import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const CONVERSATION_PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type ConversationPriority = (typeof CONVERSATION_PRIORITIES)[number];
export const CONVERSATION_HANDLERS = ['bot', 'human'] as const;
export type ConversationHandler = (typeof CONVERSATION_HANDLERS)[number];

export interface ConversationRecord {
  _id: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: string;
  channelAccountId: Types.ObjectId;
  /** Where replies go on the channel (Telegram chat id, wa_id, widget visitor id). */
  chatId: string;
  status: ConversationStatus;
  /** Who answers now: the front-door bot until a person takes over. */
  handler: ConversationHandler;
  assigneeId?: Types.ObjectId;
  teamIds: Types.ObjectId[];
  lastMessageAt: Date;
  lastMessage?: { direction: 'in' | 'out'; preview: string };
  /** The person's last message: the start of WhatsApp's 24-hour service window. */
  lastInboundAt?: Date;
  unreadCount: number;
  /** Set when the person blocked the bot or left: nothing more can be sent here. */
  unreachableAt?: Date;
  resolvedAt?: Date;
  /**
   * Since when the client has waited for an answer: their first unanswered message, or the bot's
   * hand-over to a person. Cleared when a person (or, while it has the chat, the bot) answers.
   */
  waitingSince?: Date;
  /** A person's first answer in this conversation. */
  firstRespondedAt?: Date;
  /** The client's first message since the conversation was last resolved (resolution time counts from it). */
  openedAt?: Date;
  /** While `snoozed`: when it opens again by itself (a new message from the person opens it sooner). */
  snoozedUntil?: Date;
  priority: ConversationPriority;
  /** Free-form tags, lower-cased and trimmed, e.g. 'ипотека', 'vip'. */
  labels: string[];
  createdAt: Date;
  updatedAt: Date;
}

const conversationSchema = new Schema<ConversationRecord>(
  {
    contactId: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    channelAccountId: { type: Schema.Types.ObjectId, required: true },
    chatId: { type: String, required: true },
    status: { type: String, enum: CONVERSATION_STATUSES, default: 'open', required: true },
    handler: { type: String, enum: CONVERSATION_HANDLERS, default: 'bot', required: true },
    assigneeId: Schema.Types.ObjectId,
    teamIds: { type: [Schema.Types.ObjectId], default: [] },
    lastMessageAt: { type: Date, required: true },
    lastMessage: { type: Schema.Types.Mixed, default: undefined },
    lastInboundAt: Date,
    unreadCount: { type: Number, default: 0 },
    unreachableAt: Date,
    resolvedAt: Date,
    waitingSince: Date,
    firstRespondedAt: Date,
    openedAt: Date,
    snoozedUntil: Date,
    priority: { type: String, enum: CONVERSATION_PRIORITIES, default: 'none' },
    labels: { type: [String], default: [] },
  },
  { versionKey: false, timestamps: true, minimize: false },
);
// One thread per chat on an account: the race guard when two messages of a new chat arrive at once.
conversationSchema.index({ channelAccountId: 1, chatId: 1 }, { unique: true });
conversationSchema.index({ contactId: 1, lastMessageAt: -1 });
// The inbox list's order (last activity, then _id as the tie-break its cursor needs), with and
// without its most common filter.
conversationSchema.index({ lastMessageAt: -1, _id: -1 });
conversationSchema.index({ status: 1, lastMessageAt: -1, _id: -1 });
conversationSchema.index({ labels: 1 });
conversationSchema.index({ assigneeId: 1, status: 1 });

function defineModel(db: Connection) {
  return db.model<ConversationRecord>('Conversation', conversationSchema);
}

const byConnection = new WeakMap<Connection, Model<ConversationRecord>>();

export function conversationModel(db: Connection): Model<ConversationRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = defineModel(db);
    byConnection.set(db, model);
  }
  return model;
}
