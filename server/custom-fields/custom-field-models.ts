import { Schema, type Connection, type Model, type Types } from 'mongoose';
import {
  CUSTOM_FIELD_ENTITIES,
  CUSTOM_FIELD_TYPES,
  type CustomFieldEntity,
  type CustomFieldType,
} from './custom-field-schemas.js';

interface Label {
  ru: string;
  en?: string;
}

export interface CustomFieldRecord {
  _id: Types.ObjectId;
  entity: CustomFieldEntity;
  key: string;
  label: Label;
  type: CustomFieldType;
  options: { value: string; label: Label }[];
  position: number;
  createdAt: Date;
  updatedAt: Date;
}

const labelSchema = new Schema<Label>({ ru: { type: String, required: true }, en: String }, { _id: false });

const customFieldSchema = new Schema<CustomFieldRecord>(
  {
    entity: { type: String, enum: CUSTOM_FIELD_ENTITIES, required: true },
    key: { type: String, required: true },
    label: { type: labelSchema, required: true },
    type: { type: String, enum: CUSTOM_FIELD_TYPES, required: true },
    options: { type: [{ _id: false, value: { type: String, required: true }, label: labelSchema }], default: [] },
    position: { type: Number, default: 0 },
  },
  { versionKey: false, timestamps: true },
);
// One definition per key and entity: the guard when two admins add the same field at once.
customFieldSchema.index({ entity: 1, key: 1 }, { unique: true });

export interface CustomFieldModels {
  CustomField: Model<CustomFieldRecord>;
}

const byConnection = new WeakMap<Connection, CustomFieldModels>();

/** The custom-field definitions model on one connection, defined once per connection. */
export function customFieldModels(db: Connection): CustomFieldModels {
  let models = byConnection.get(db);
  if (!models) {
    models = { CustomField: db.model<CustomFieldRecord>('CustomFieldDefinition', customFieldSchema) };
    byConnection.set(db, models);
  }
  return models;
}
