import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Actor } from './actor-schema.js';
import { initModel } from '../db/init-model.js';

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

/** One stay of a deal in a stage; the open entry (no `leftAt`) is where the deal is now. */
export interface StageVisit {
  pipelineId: Types.ObjectId;
  stageId: string;
  enteredAt: Date;
  leftAt?: Date;
  movedBy: Actor;
}

export interface DealLink {
  dealId: Types.ObjectId;
  pipelineId: Types.ObjectId;
}

/** What converting a lead produced, recorded on the lead step by step so a retry resumes. */
export interface LeadConversion {
  contactId?: Types.ObjectId;
  companyId?: Types.ObjectId;
  dealId?: Types.ObjectId;
  convertedAt?: Date;
}

export interface DealRecord {
  _id: Types.ObjectId;
  title: string;
  pipelineId: Types.ObjectId;
  stageId: string;
  amount: number;
  currency: string;
  ownerId: Types.ObjectId;
  contactId?: Types.ObjectId;
  companyId?: Types.ObjectId;
  customFields: Record<string, unknown>;
  status: DealStatus;
  lostReason?: string;
  closedAt?: Date;
  stageHistory: StageVisit[];
  /** Set on a copy: the deal it was copied from and the pipeline it was copied into. */
  copiedFrom?: DealLink;
  copies: DealLink[];
  /** Set on the deal a lead was converted into: the lead. */
  sourceLeadId?: Types.ObjectId;
  /** Set on a lead once converting it has started. */
  conversion?: LeadConversion;
  /** Set on a deal created by an import: the row's key, so importing the file again matches it. */
  importKey?: string;
  /** Set on a deal made from a web form or partner lead: that lead (one deal per lead). */
  inboundLeadId?: Types.ObjectId;
  /** Where the deal came from, e.g. 'form:Замер' or 'exhibition:ЭкоСтройЭкспо', for source reports. */
  source?: string;
  /** The partner platform or event that handed the lead in. */
  partner?: string;
  createdBy: Actor;
  /** Bumped by every read-modify-write, so two concurrent changes cannot overwrite each other. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

const actorSchema = new Schema<Actor>(
  {
    kind: { type: String, enum: ['user', 'automation'], required: true },
    id: { type: String, required: true },
    name: String,
  },
  { _id: false },
);

const visitSchema = new Schema<StageVisit>(
  {
    pipelineId: { type: Schema.Types.ObjectId, required: true },
    stageId: { type: String, required: true },
    enteredAt: { type: Date, required: true },
    leftAt: { type: Date },
    movedBy: { type: actorSchema, required: true },
  },
  { _id: false },
);

// No _id on links: `$addToSet` compares whole elements, and a generated _id would make every one unique.
const linkSchema = new Schema<DealLink>(
  {
    dealId: { type: Schema.Types.ObjectId, required: true },
    pipelineId: { type: Schema.Types.ObjectId, required: true },
  },
  { _id: false },
);

const conversionSchema = new Schema<LeadConversion>(
  {
    contactId: { type: Schema.Types.ObjectId },
    companyId: { type: Schema.Types.ObjectId },
    dealId: { type: Schema.Types.ObjectId },
    convertedAt: { type: Date },
  },
  { _id: false },
);

const dealSchema = new Schema<DealRecord>(
  {
    title: { type: String, required: true },
    pipelineId: { type: Schema.Types.ObjectId, required: true },
    stageId: { type: String, required: true },
    amount: { type: Number, default: 0 },
    currency: { type: String, default: 'RUB' },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId },
    companyId: { type: Schema.Types.ObjectId },
    customFields: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, enum: DEAL_STATUSES, default: 'open' },
    lostReason: { type: String },
    closedAt: { type: Date },
    stageHistory: { type: [visitSchema], default: [] },
    copiedFrom: { type: linkSchema },
    copies: { type: [linkSchema], default: [] },
    sourceLeadId: { type: Schema.Types.ObjectId },
    conversion: { type: conversionSchema },
    importKey: { type: String },
    inboundLeadId: { type: Schema.Types.ObjectId },
    source: { type: String },
    partner: { type: String },
    createdBy: { type: actorSchema, required: true },
    revision: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'deals', minimize: false },
);
dealSchema.index({ pipelineId: 1, stageId: 1 });
dealSchema.index({ ownerId: 1, status: 1 });
dealSchema.index({ contactId: 1 });
dealSchema.index({ companyId: 1 });
// Reports read deals by period: created (funnel, sources), closed (sales cycle), and the stage
// visits that began or ended in it (deals moved, time per stage).
dealSchema.index({ createdAt: 1 });
dealSchema.index({ closedAt: 1 });
dealSchema.index({ 'stageHistory.enteredAt': 1 });
dealSchema.index({ 'stageHistory.leftAt': 1 });
// Race guards that make conversion and copying safe to retry: one deal per converted lead, one
// copy of a deal per target pipeline.
dealSchema.index({ sourceLeadId: 1 }, { unique: true, partialFilterExpression: { sourceLeadId: { $exists: true } } });
dealSchema.index(
  { 'copiedFrom.dealId': 1, 'copiedFrom.pipelineId': 1 },
  { unique: true, partialFilterExpression: { 'copiedFrom.dealId': { $exists: true } } },
);
// One deal per imported row: re-running an import (or two people running the same file) matches.
dealSchema.index({ importKey: 1 }, { unique: true, partialFilterExpression: { importKey: { $exists: true } } });
// One deal per web form or partner lead: a retried or concurrent submission finds it.
dealSchema.index({ inboundLeadId: 1 }, { unique: true, partialFilterExpression: { inboundLeadId: { $exists: true } } });

/** The Deal model on this connection, its indexes built before the first write relies on them. */
export async function dealModel(db: Connection): Promise<Model<DealRecord>> {
  const model: Model<DealRecord> = db.models.Deal ?? db.model<DealRecord>('Deal', dealSchema);
  await initModel(model);
  return model;
}
