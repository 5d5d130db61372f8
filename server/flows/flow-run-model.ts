import { Schema, type Connection, type Model } from 'mongoose';
import type { Effect, RunState } from '../../flows/index.js';
import type { SkipCode } from './skip-reasons.js';
import { initModel } from '../db/init-model.js';

/**
 * A run of a flow for a contact (or a deal): the engine's state, pinned to the version it started
 * on, plus what the executor needs to be exact about effects and events:
 * - `rev` is the optimistic lock: every write is conditional on the rev read, so two workers never
 *   apply events to the same run at once (the loser's job is retried and reads the new state);
 * - `pending` are the effects of the last step not yet performed, written together with the state
 *   that caused them (an outbox: a crash after the write loses no effect);
 * - `done` are the ids of the effects performed (every effect has its own, a wait's cancel too);
 *   `events` the ids of the events applied.
 */
export interface FlowRunRecord {
  _id: string;
  flowId: string;
  flowVersion: number;
  subjectKey: string;
  /** The subjectKey while the run is active or waiting (unique: one running run per subject). */
  activeKey?: string;
  contactId: string;
  dealId?: string;
  status: RunState['status'];
  state: RunState;
  rev: number;
  pending: Effect[];
  done: string[];
  events: string[];
  /** The follow-up campaign whose manual event started the run (server/campaigns). */
  campaignId?: string;
  /** When the contact first wrote after a campaign enrolled them (set for campaign runs only). */
  repliedAt?: Date;
  /** Effects not performed on purpose, with why (shown with the history). */
  skipped: {
    effectId: string;
    stepId: string;
    type: string;
    /** The English line; `code` and `params` let the inbox word it (runs before codes have none). */
    reason: string;
    code?: SkipCode;
    params?: Record<string, string>;
    at: Date;
  }[];
  createdAt: Date;
  updatedAt: Date;
}

const flowRunSchema = new Schema<FlowRunRecord>(
  {
    _id: { type: String, required: true },
    flowId: { type: String, required: true },
    flowVersion: { type: Number, required: true },
    subjectKey: { type: String, required: true },
    activeKey: { type: String },
    contactId: { type: String, required: true },
    dealId: { type: String },
    status: { type: String, required: true },
    state: { type: Schema.Types.Mixed, required: true },
    rev: { type: Number, required: true },
    pending: { type: Schema.Types.Mixed, default: [] },
    done: { type: [String], default: [] },
    events: { type: [String], default: [] },
    skipped: { type: Schema.Types.Mixed, default: [] },
    campaignId: { type: String },
    repliedAt: { type: Date },
  },
  { timestamps: true, collection: 'flow_runs', minimize: false },
);
flowRunSchema.index({ activeKey: 1 }, { unique: true, partialFilterExpression: { activeKey: { $type: 'string' } } });
flowRunSchema.index({ subjectKey: 1 });
flowRunSchema.index({ contactId: 1, createdAt: -1 });
flowRunSchema.index({ dealId: 1, createdAt: -1 });
flowRunSchema.index({ flowId: 1, status: 1 });
flowRunSchema.index({ campaignId: 1, status: 1 }, { partialFilterExpression: { campaignId: { $type: 'string' } } });

export async function flowRunModel(db: Connection): Promise<Model<FlowRunRecord>> {
  const model: Model<FlowRunRecord> = db.models.FlowRun ?? db.model<FlowRunRecord>('FlowRun', flowRunSchema);
  await initModel(model);
  return model;
}
