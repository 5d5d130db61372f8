import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * Whether a channel account asks for ratings, as an admin set it in Settings → Channels. A
 * channel without one follows CSAT_CHANNELS (the default by channel type).
 */
export interface CsatChannelSettingRecord {
  _id: Types.ObjectId;
  channelAccountId: Types.ObjectId;
  enabled: boolean;
  updatedAt: Date;
}

const settingSchema = new Schema<CsatChannelSettingRecord>(
  {
    channelAccountId: { type: Schema.Types.ObjectId, required: true },
    enabled: { type: Boolean, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'csat_channel_settings' },
);
settingSchema.index({ channelAccountId: 1 }, { unique: true });

const byConnection = new WeakMap<Connection, Model<CsatChannelSettingRecord>>();

export function csatChannelSettingModel(db: Connection): Model<CsatChannelSettingRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.model<CsatChannelSettingRecord>('CsatChannelSetting', settingSchema);
    byConnection.set(db, model);
  }
  return model;
}
