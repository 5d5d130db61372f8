import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { CANNED_VISIBILITIES, type CannedResponseView } from './canned-response-schemas.js';

export interface CannedResponseRecord {
  _id: Types.ObjectId;
  shortcut: string;
  text: { ru?: string; en?: string };
  visibility: (typeof CANNED_VISIBILITIES)[number];
  teamId?: Types.ObjectId;
  ownerId: Types.ObjectId;
  /** 'personal:<userId>', 'team:<teamId>' or 'everyone': a shortcut is unique within its scope. */
  scopeKey: string;
  createdAt: Date;
  updatedAt: Date;
}

const cannedResponseSchema = new Schema<CannedResponseRecord>(
  {
    shortcut: { type: String, required: true },
    text: { ru: String, en: String },
    visibility: { type: String, enum: CANNED_VISIBILITIES, required: true },
    teamId: Schema.Types.ObjectId,
    ownerId: { type: Schema.Types.ObjectId, required: true },
    scopeKey: { type: String, required: true },
  },
  { versionKey: false, timestamps: true },
);
cannedResponseSchema.index({ scopeKey: 1, shortcut: 1 }, { unique: true });

const byConnection = new WeakMap<Connection, Model<CannedResponseRecord>>();

export function cannedResponseModel(db: Connection): Model<CannedResponseRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.model<CannedResponseRecord>('CannedResponse', cannedResponseSchema);
    byConnection.set(db, model);
  }
  return model;
}

export function scopeKeyOf(visibility: CannedResponseRecord['visibility'], ownerId: string, teamId?: string): string {
  switch (visibility) {
    case 'personal':
      return `personal:${ownerId}`;
    case 'team':
      return `team:${teamId}`;
    case 'everyone':
      return 'everyone';
  }
}

export function toCannedResponseView(record: CannedResponseRecord): CannedResponseView {
  return {
    id: record._id.toHexString(),
    shortcut: record.shortcut,
    text: {
      ...(record.text?.ru ? { ru: record.text.ru } : {}),
      ...(record.text?.en ? { en: record.text.en } : {}),
    },
    visibility: record.visibility,
    ...(record.teamId ? { teamId: record.teamId.toHexString() } : {}),
    ownerId: record.ownerId.toHexString(),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
