import { Schema, type Connection } from 'mongoose';

/** Who did what to which record, with the record before and after. Written after the change itself. */
const auditLogSchema = new Schema(
  {
    at: { type: Date, required: true },
    // Absent for the system (automations, the seed); the name is kept so the log reads well after a rename.
    actorId: { type: Schema.Types.ObjectId },
    actorName: { type: String, default: '' },
    action: { type: String, required: true },
    entity: { type: String, required: true },
    entityId: { type: String },
    before: { type: Schema.Types.Mixed },
    after: { type: Schema.Types.Mixed },
    changes: { type: [String], default: undefined },
    meta: { type: Schema.Types.Mixed },
  },
  { versionKey: false, minimize: false },
);
auditLogSchema.index({ entity: 1, entityId: 1, _id: -1 });
auditLogSchema.index({ actorId: 1, _id: -1 });

function defineModels(db: Connection) {
  return { AuditLog: db.model('AuditLog', auditLogSchema) };
}

export type AuditModels = ReturnType<typeof defineModels>;

const byConnection = new WeakMap<Connection, AuditModels>();

/** The audit domain's model on one connection, defined once per connection. */
export function auditModels(db: Connection): AuditModels {
  const existing = byConnection.get(db);
  if (existing) return existing;
  const models = defineModels(db);
  byConnection.set(db, models);
  return models;
}
