import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { NOTIFICATION_KINDS } from './notification-schemas.js';
import type { NotificationView } from './notification-schemas.js';

export interface NotificationRecord {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  kind: (typeof NOTIFICATION_KINDS)[number];
  actorId?: Types.ObjectId;
  actorName: string;
  conversationId?: Types.ObjectId;
  contactId?: Types.ObjectId;
  dealId?: Types.ObjectId;
  noteId?: Types.ObjectId;
  /** The flow that sent it (kind `flow`); the actor shown is the flow, by `actorName`. */
  flowId?: string;
  /** What it is the notification of, once per user (a flow's notify effect id): a retry adds none. */
  sourceKey?: string;
  preview: string;
  readAt?: Date;
  createdAt: Date;
}

const notificationSchema = new Schema<NotificationRecord>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    actorId: Schema.Types.ObjectId,
    actorName: { type: String, default: '' },
    conversationId: Schema.Types.ObjectId,
    contactId: Schema.Types.ObjectId,
    dealId: Schema.Types.ObjectId,
    noteId: Schema.Types.ObjectId,
    flowId: String,
    sourceKey: String,
    preview: { type: String, default: '' },
    readAt: Date,
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
notificationSchema.index({ userId: 1, _id: -1 });
// One notification per user per note, however often the note's write is retried.
notificationSchema.index(
  { userId: 1, noteId: 1 },
  { unique: true, partialFilterExpression: { noteId: { $exists: true } } },
);

notificationSchema.index(
  { userId: 1, sourceKey: 1 },
  { unique: true, partialFilterExpression: { sourceKey: { $exists: true } } },
);

const byConnection = new WeakMap<Connection, Model<NotificationRecord>>();

export function notificationModel(db: Connection): Model<NotificationRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.model<NotificationRecord>('Notification', notificationSchema);
    byConnection.set(db, model);
  }
  return model;
}

export function toNotificationView(record: NotificationRecord): NotificationView {
  return {
    id: record._id.toHexString(),
    kind: record.kind,
    actor: actorOf(record),
    ...(record.conversationId ? { conversationId: record.conversationId.toHexString() } : {}),
    ...(record.contactId ? { contactId: record.contactId.toHexString() } : {}),
    ...(record.dealId ? { dealId: record.dealId.toHexString() } : {}),
    ...(record.noteId ? { noteId: record.noteId.toHexString() } : {}),
    preview: record.preview,
    ...(record.readAt ? { readAt: record.readAt.toISOString() } : {}),
    createdAt: record.createdAt.toISOString(),
  };
}

function actorOf(record: NotificationRecord): NotificationView['actor'] {
  if (record.actorId) return { id: record.actorId.toHexString(), name: record.actorName };
  return record.flowId ? { id: `flow:${record.flowId}`, name: record.actorName } : null;
}
