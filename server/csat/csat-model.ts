import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A client's rating of a resolved conversation: one per conversation, the latest tap wins. */
export interface CsatRatingRecord {
  _id: Types.ObjectId;
  conversationId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: string;
  channelAccountId: Types.ObjectId;
  /** Who worked the conversation when it was rated: the summary counts by operator and team. */
  assigneeId?: Types.ObjectId;
  teamIds: Types.ObjectId[];
  score: number;
  /** The client's next text message after the rating, within CSAT_COMMENT_WINDOW_MS of it. */
  comment?: string;
  commentMessageId?: Types.ObjectId;
  /** The button tap (an inbound message) that carried the score. */
  messageId: Types.ObjectId;
  ratedAt: Date;
}

const csatSchema = new Schema<CsatRatingRecord>(
  {
    conversationId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    channelAccountId: { type: Schema.Types.ObjectId, required: true },
    assigneeId: Schema.Types.ObjectId,
    teamIds: { type: [Schema.Types.ObjectId], default: [] },
    score: { type: Number, required: true, min: 1, max: 5 },
    comment: String,
    commentMessageId: Schema.Types.ObjectId,
    messageId: { type: Schema.Types.ObjectId, required: true },
    ratedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'csat_ratings' },
);
csatSchema.index({ conversationId: 1 }, { unique: true });
csatSchema.index({ ratedAt: -1 });

const byConnection = new WeakMap<Connection, Model<CsatRatingRecord>>();

export function csatModel(db: Connection): Model<CsatRatingRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.model<CsatRatingRecord>('CsatRating', csatSchema);
    byConnection.set(db, model);
  }
  return model;
}
