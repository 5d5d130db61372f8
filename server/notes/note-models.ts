import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { NOTE_ENTITIES, type NoteEntity } from './note-schemas.js';

export interface NoteRecord {
  _id: Types.ObjectId;
  entity: NoteEntity;
  entityId: Types.ObjectId;
  kind: 'note' | 'system';
  text: string;
  authorId?: Types.ObjectId;
  authorName: string;
  /** Set on notes the product writes once per event (e.g. 'merge:<sourceId>'), so a retry adds no second one. */
  dedupeKey?: string;
  /** A private note written in a conversation (on the contact's timeline too); never sent to the person. */
  conversationId?: Types.ObjectId;
  /** Users the note @mentions; each gets a notification. */
  mentionedUserIds?: Types.ObjectId[];
  meta?: Record<string, unknown>;
  createdAt: Date;
}

const noteSchema = new Schema<NoteRecord>(
  {
    entity: { type: String, enum: NOTE_ENTITIES, required: true },
    entityId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: ['note', 'system'], default: 'note' },
    text: { type: String, required: true },
    authorId: Schema.Types.ObjectId,
    authorName: { type: String, default: '' },
    dedupeKey: String,
    conversationId: Schema.Types.ObjectId,
    mentionedUserIds: { type: [Schema.Types.ObjectId], default: undefined },
    meta: Schema.Types.Mixed,
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
noteSchema.index({ entity: 1, entityId: 1, _id: -1 });
noteSchema.index({ conversationId: 1, _id: -1 }, { partialFilterExpression: { conversationId: { $exists: true } } });
noteSchema.index({ dedupeKey: 1 }, { unique: true, partialFilterExpression: { dedupeKey: { $type: 'string' } } });

export interface NoteModels {
  Note: Model<NoteRecord>;
}

const byConnection = new WeakMap<Connection, NoteModels>();

/** The notes model on one connection, defined once per connection. */
export function noteModels(db: Connection): NoteModels {
  let models = byConnection.get(db);
  if (!models) {
    models = { Note: db.model<NoteRecord>('Note', noteSchema) };
    byConnection.set(db, models);
  }
  return models;
}
