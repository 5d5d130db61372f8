import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { IMPORT_ENTITIES, type ImportEntity } from './import-schemas.js';

export const IMPORT_STATUSES = ['running', 'done', 'failed'] as const;

/** One import run: its progress and counts, updated chunk by chunk while it runs. */
export interface ImportJobRecord {
  _id: Types.ObjectId;
  entity: ImportEntity;
  dryRun: boolean;
  status: (typeof IMPORT_STATUSES)[number];
  total: number;
  processed: number;
  created: number;
  matched: number;
  rejectedCount: number;
  rejectedSample: { row: number; reason: string }[];
  /** The file's header and delimiter, so rejected.csv reads like the file it came from. */
  columns: string[];
  delimiter: string;
  createdById: Types.ObjectId;
  createdByName: string;
  error?: string;
  finishedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** A rejected row with its original cells, for the rejected-rows file a person fixes and imports again. */
export interface ImportRejectedRowRecord {
  _id: Types.ObjectId;
  importId: Types.ObjectId;
  row: number;
  reason: string;
  cells: string[];
  createdAt: Date;
}

const importJobSchema = new Schema<ImportJobRecord>(
  {
    entity: { type: String, enum: IMPORT_ENTITIES, required: true },
    dryRun: { type: Boolean, required: true },
    status: { type: String, enum: IMPORT_STATUSES, required: true },
    total: { type: Number, required: true },
    processed: { type: Number, default: 0 },
    created: { type: Number, default: 0 },
    matched: { type: Number, default: 0 },
    rejectedCount: { type: Number, default: 0 },
    rejectedSample: { type: [{ _id: false, row: Number, reason: String }], default: [] },
    columns: { type: [String], default: [] },
    delimiter: { type: String, required: true },
    createdById: { type: Schema.Types.ObjectId, required: true },
    createdByName: { type: String, default: '' },
    error: String,
    finishedAt: Date,
  },
  { versionKey: false, timestamps: true },
);

// Rejected rows hold clients' phones and e-mails: they are kept for a month, long enough to fix
// and re-import, not forever.
const REJECTED_ROWS_KEPT_SECONDS = 30 * 24 * 60 * 60;

const importRejectedRowSchema = new Schema<ImportRejectedRowRecord>(
  {
    importId: { type: Schema.Types.ObjectId, required: true },
    row: { type: Number, required: true },
    reason: { type: String, required: true },
    cells: { type: [String], default: [] },
    createdAt: { type: Date, default: () => new Date(), index: { expireAfterSeconds: REJECTED_ROWS_KEPT_SECONDS } },
  },
  { versionKey: false },
);
importRejectedRowSchema.index({ importId: 1, row: 1 });

export interface ImportJobModels {
  ImportJob: Model<ImportJobRecord>;
  ImportRejectedRow: Model<ImportRejectedRowRecord>;
}

const byConnection = new WeakMap<Connection, ImportJobModels>();

/** The imports domain's models on one connection, defined once per connection. */
export function importJobModels(db: Connection): ImportJobModels {
  let models = byConnection.get(db);
  if (!models) {
    models = {
      ImportJob: db.model<ImportJobRecord>('ImportJob', importJobSchema),
      ImportRejectedRow: db.model<ImportRejectedRowRecord>('ImportRejectedRow', importRejectedRowSchema),
    };
    byConnection.set(db, models);
  }
  return models;
}
