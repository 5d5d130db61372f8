import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { COUNTERPARTY_TYPES } from './company-schemas.js';

export interface CompanyRecord {
  _id: Types.ObjectId;
  status: 'active' | 'deleted';
  name: string;
  inn?: string;
  address?: string;
  counterpartyType: (typeof COUNTERPARTY_TYPES)[number];
  website?: string;
  phones: { raw: string; e164: string }[];
  emails: string[];
  ownerId?: Types.ObjectId;
  tags: string[];
  customFields: Record<string, unknown>;
  deletedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const companySchema = new Schema<CompanyRecord>(
  {
    status: { type: String, enum: ['active', 'deleted'], default: 'active', required: true },
    name: { type: String, required: true },
    inn: String,
    address: String,
    counterpartyType: { type: String, enum: COUNTERPARTY_TYPES, default: 'client' },
    website: String,
    phones: {
      type: [{ _id: false, raw: { type: String, required: true }, e164: { type: String, required: true } }],
      default: [],
    },
    emails: { type: [String], default: [] },
    ownerId: Schema.Types.ObjectId,
    tags: { type: [String], default: [] },
    customFields: { type: Schema.Types.Mixed, default: () => ({}) },
    deletedAt: Date,
  },
  { versionKey: false, timestamps: true, minimize: false },
);
// One active company per INN: a legal entity is entered once, even by two people at the same moment.
companySchema.index(
  { inn: 1 },
  { unique: true, partialFilterExpression: { status: 'active', inn: { $type: 'string' } } },
);
companySchema.index({ status: 1, _id: -1 });

export interface CompanyModels {
  Company: Model<CompanyRecord>;
}

const byConnection = new WeakMap<Connection, CompanyModels>();

/** The companies model on one connection, defined once per connection. */
export function companyModels(db: Connection): CompanyModels {
  let models = byConnection.get(db);
  if (!models) {
    models = { Company: db.model<CompanyRecord>('Company', companySchema) };
    byConnection.set(db, models);
  }
  return models;
}
