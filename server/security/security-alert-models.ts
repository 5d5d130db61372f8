import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const SECURITY_ALERT_KINDS = ['read-burst'] as const;
export type SecurityAlertKind = (typeof SECURITY_ALERT_KINDS)[number];

/** Something admins should look at about one user, e.g. far more contact cards read than usual. */
export interface SecurityAlertRecord {
  _id: Types.ObjectId;
  kind: SecurityAlertKind;
  userId: Types.ObjectId;
  // Kept beside the id so the alert still reads well after the user is renamed.
  userName: string;
  /** Contact cards read within the window; raised while the burst goes on. */
  count: number;
  /** The threshold the count crossed, as configured when the alert was raised. */
  limit: number;
  windowSeconds: number;
  /** Whether the alert deactivated the account (READ_BURST_LOCK). */
  locked: boolean;
  acknowledged: boolean;
  acknowledgedAt?: Date;
  acknowledgedById?: Types.ObjectId;
  acknowledgedByName?: string;
  createdAt: Date;
  updatedAt: Date;
}

const securityAlertSchema = new Schema<SecurityAlertRecord>(
  {
    kind: { type: String, enum: SECURITY_ALERT_KINDS, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    userName: { type: String, default: '' },
    count: { type: Number, required: true },
    limit: { type: Number, required: true },
    windowSeconds: { type: Number, required: true },
    locked: { type: Boolean, default: false },
    acknowledged: { type: Boolean, default: false },
    acknowledgedAt: Date,
    acknowledgedById: Schema.Types.ObjectId,
    acknowledgedByName: String,
  },
  { versionKey: false, timestamps: true },
);
// The admins' list: open alerts first, newest first, optionally for one user.
securityAlertSchema.index({ acknowledged: 1, _id: -1 });
securityAlertSchema.index({ userId: 1, _id: -1 });

export interface SecurityAlertModels {
  SecurityAlert: Model<SecurityAlertRecord>;
}

const byConnection = new WeakMap<Connection, SecurityAlertModels>();

/** The security domain's model on one connection, defined once per connection. */
export function securityAlertModels(db: Connection): SecurityAlertModels {
  let models = byConnection.get(db);
  if (!models) {
    models = { SecurityAlert: db.model<SecurityAlertRecord>('SecurityAlert', securityAlertSchema) };
    byConnection.set(db, models);
  }
  return models;
}
