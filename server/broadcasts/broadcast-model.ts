import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** The channels a broadcast can go out on, in the default order each recipient is tried. */
export const BROADCAST_CHANNELS = ['telegram', 'whatsapp', 'webchat', 'sms', 'email'] as const;
export type BroadcastChannel = (typeof BROADCAST_CHANNELS)[number];

export const BROADCAST_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'cancelled', 'completed'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/**
 * Milestones, each counted once per recipient when first reached: `sent` includes those later
 * delivered or read, `delivered` those later read. `planned`: recipients given a channel at launch.
 * Results (RESULT_FIELDS) come after the send and are never recomputed from the recipients:
 * `clicked` recipients who opened a tracked link, `leads`, `deals` and `won` attributed records,
 * `revenue` the amounts of the won ones.
 */
export const COUNT_FIELDS = [
  'audience',
  'planned',
  'skipped',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'replied',
  'optedOut',
  'clicked',
  'leads',
  'deals',
  'won',
  'revenue',
] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** The counts that grow after the send (replies, opt-outs, clicks, attribution): a recount leaves them alone. */
export const RESULT_FIELDS = ['replied', 'optedOut', 'clicked', 'leads', 'deals', 'won', 'revenue'] as const;
export type BroadcastCounts = Record<CountField, number>;

export const emptyCounts = (): BroadcastCounts =>
  Object.fromEntries(COUNT_FIELDS.map((field) => [field, 0])) as BroadcastCounts;

export interface UrlButton {
  text: string;
  url: string;
}

export interface BroadcastVariants {
  telegram?: { text: string; buttons?: UrlButton[]; mediaFileId?: string };
  whatsapp?: { text?: string; template?: { name: string; language: string; parameters: string[] } };
  sms?: { text: string };
  email?: { subject: string; html: string; text?: string };
  webchat?: { text: string };
}

export interface BroadcastRecord {
  _id: Types.ObjectId;
  name: string;
  segmentId: Types.ObjectId;
  variants: BroadcastVariants;
  channelOrder: BroadcastChannel[];
  /** The account per channel; the first active account of that type when absent. */
  accounts?: Partial<Record<BroadcastChannel, Types.ObjectId>>;
  schedule?: { at: Date };
  quietHours?: { from: string; to: string };
  timeZone: string;
  cost?: { amount: number; currency: string };
  status: BroadcastStatus;
  counts: BroadcastCounts;
  countsByChannel: Partial<Record<BroadcastChannel, BroadcastCounts>>;
  /** The accounts recipients were planned on at launch: one delivery queue each. */
  accountIds: Types.ObjectId[];
  /** Set once the audience is frozen into recipients: only then can the broadcast be complete. */
  frozenAt?: Date;
  launchedAt?: Date;
  completedAt?: Date;
  createdById: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const countsDefinition = Object.fromEntries(COUNT_FIELDS.map((field) => [field, { type: Number, default: 0 }]));

const broadcastSchema = new Schema<BroadcastRecord>(
  {
    name: { type: String, required: true },
    segmentId: { type: Schema.Types.ObjectId, required: true },
    // Validated by the API's zod schema; stored as the plain data it parsed to.
    variants: { type: Schema.Types.Mixed, default: () => ({}) },
    channelOrder: { type: [String], default: () => [...BROADCAST_CHANNELS] },
    accounts: { type: Schema.Types.Mixed, default: undefined },
    schedule: { type: new Schema({ at: { type: Date, required: true } }, { _id: false }), default: undefined },
    quietHours: { type: Schema.Types.Mixed, default: undefined },
    timeZone: { type: String, required: true },
    cost: { type: Schema.Types.Mixed, default: undefined },
    status: { type: String, enum: BROADCAST_STATUSES, default: 'draft', required: true },
    counts: { type: new Schema(countsDefinition, { _id: false }), default: emptyCounts },
    countsByChannel: { type: Schema.Types.Mixed, default: () => ({}) },
    accountIds: { type: [Schema.Types.ObjectId], default: [] },
    frozenAt: Date,
    launchedAt: Date,
    completedAt: Date,
    createdById: { type: Schema.Types.ObjectId, required: true },
  },
  { versionKey: false, timestamps: true, minimize: false, collection: 'broadcasts' },
);
// The dispatcher's look-up of broadcasts being sent.
broadcastSchema.index({ status: 1 });

const byConnection = new WeakMap<Connection, Model<BroadcastRecord>>();

export function broadcastModel(db: Connection): Model<BroadcastRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = db.models.Broadcast ?? db.model<BroadcastRecord>('Broadcast', broadcastSchema);
    byConnection.set(db, model);
  }
  return model;
}
