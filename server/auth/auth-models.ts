import { Schema, type Connection } from 'mongoose';
import { PERMISSIONS } from './permissions.js';

/** A signed-in browser. Only the SHA-256 of the cookie's token is stored, so a leaked store cannot sign in. */
const sessionSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    csrfToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    // Slides forward with use; the TTL index lets the store drop sessions nobody used for a while.
    expiresAt: { type: Date, required: true, index: { expireAfterSeconds: 0 } },
    // However active, a session ends after this; people sign in again every couple of weeks.
    endsAt: { type: Date, required: true },
    ip: { type: String, default: '' },
    userAgent: { type: String, default: '' },
  },
  { versionKey: false },
);

/** A personal API token for integrations: hashed like sessions, limited to its scopes. */
const apiTokenSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    name: { type: String, required: true },
    tokenHash: { type: String, required: true, unique: true },
    // The first characters, shown in lists so people can tell their tokens apart.
    hint: { type: String, required: true },
    scopes: { type: [{ type: String, enum: PERMISSIONS }], required: true },
    expiresAt: { type: Date },
    lastUsedAt: { type: Date },
    revokedAt: { type: Date },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

function defineModels(db: Connection) {
  return { Session: db.model('Session', sessionSchema), ApiToken: db.model('ApiToken', apiTokenSchema) };
}

export type AuthModels = ReturnType<typeof defineModels>;

const byConnection = new WeakMap<Connection, AuthModels>();

/** The auth domain's models on one connection, defined once per connection. */
export function authModels(db: Connection): AuthModels {
  const existing = byConnection.get(db);
  if (existing) return existing;
  const models = defineModels(db);
  byConnection.set(db, models);
  return models;
}
