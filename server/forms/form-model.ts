import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { FormField } from './form-schemas.js';

export interface FormRecord {
  _id: Types.ObjectId;
  name: string;
  /** As `formFieldSchema` parsed them: the API is the only writer. */
  fields: FormField[];
  pipelineId: Types.ObjectId;
  stageId?: string;
  ownerId: Types.ObjectId;
  thankYou: { ru: string; en: string };
  submitLabel: { ru: string; en: string };
  allowedOrigins: string[];
  active: boolean;
  createdById?: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const textsSchema = new Schema(
  { ru: { type: String, required: true }, en: { type: String, required: true } },
  { _id: false },
);

const formSchema = new Schema<FormRecord>(
  {
    name: { type: String, required: true },
    fields: { type: Schema.Types.Mixed, default: () => [] },
    pipelineId: { type: Schema.Types.ObjectId, required: true },
    stageId: String,
    ownerId: { type: Schema.Types.ObjectId, required: true },
    thankYou: { type: textsSchema, required: true },
    submitLabel: { type: textsSchema, required: true },
    allowedOrigins: { type: [String], default: [] },
    active: { type: Boolean, default: true },
    createdById: Schema.Types.ObjectId,
  },
  { versionKey: false, timestamps: true, minimize: false, collection: 'forms' },
);

/** Web forms defined by admins, on this connection. */
export function formModel(db: Connection): Model<FormRecord> {
  return db.models.WebForm ?? db.model<FormRecord>('WebForm', formSchema);
}
