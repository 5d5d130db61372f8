import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { initModel } from '../db/init-model.js';

export const FOLLOW_UP_STATUSES = ['running', 'stopped'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** Whom a follow-up campaign enrols: everyone of a segment, or the deals of a funnel stage. */
export type FollowUpSource =
  { kind: 'segment'; segmentId: Types.ObjectId } | { kind: 'stage'; pipelineId: Types.ObjectId; stageId: string };

/**
 * A follow-up campaign: a flow with a `manual` trigger started for an audience. The runs it starts
 * carry its id (flow_runs.campaignId), so its results are read from them; enrolment is idempotent
 * because each subject's event id, and so its run id, is derived from the campaign and the subject.
 */
export interface FollowUpCampaignRecord {
  _id: Types.ObjectId;
  name: string;
  flowId: string;
  source: FollowUpSource;
  status: FollowUpStatus;
  cost?: { amount: number; currency: string };
  createdById: Types.ObjectId;
  startedAt: Date;
  /** How many times it was started: each start hands its events to the queue anew (see enrolFollowUp). */
  starts: number;
  stoppedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const followUpCampaignSchema = new Schema<FollowUpCampaignRecord>(
  {
    name: { type: String, required: true },
    flowId: { type: String, required: true },
    source: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: FOLLOW_UP_STATUSES, required: true },
    cost: { type: Schema.Types.Mixed },
    createdById: { type: Schema.Types.ObjectId, required: true },
    startedAt: { type: Date, required: true },
    starts: { type: Number, default: 1 },
    stoppedAt: { type: Date },
  },
  { timestamps: true, collection: 'follow_up_campaigns', minimize: false },
);
// The stage hook asks, for every stage move, which running campaigns watch that stage.
followUpCampaignSchema.index({ status: 1, 'source.pipelineId': 1, 'source.stageId': 1 });
followUpCampaignSchema.index({ createdAt: -1 });

export async function followUpCampaignModel(db: Connection): Promise<Model<FollowUpCampaignRecord>> {
  const model: Model<FollowUpCampaignRecord> =
    db.models.FollowUpCampaign ?? db.model<FollowUpCampaignRecord>('FollowUpCampaign', followUpCampaignSchema);
  await initModel(model);
  return model;
}
