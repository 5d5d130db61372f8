import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { ROLES } from '../auth/permissions.js';

const userSchema = new Schema(
  {
    name: { type: String, required: true },
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    // Never selected unless asked for, so no listing can leak it by accident.
    passwordHash: { type: String, required: true, select: false },
    role: { type: String, enum: ROLES, required: true },
    teamIds: { type: [Schema.Types.ObjectId], default: [] },
    active: { type: Boolean, default: true },
    workingHours: {
      type: [
        {
          _id: false,
          weekday: { type: Number, required: true },
          from: { type: String, required: true },
          to: { type: String, required: true },
        },
      ],
      default: [],
    },
    timeZone: { type: String, default: 'Europe/Moscow' },
    language: { type: String, enum: ['ru', 'en'], default: 'ru' },
    // Set only on the admin created by first-start setup: its unique index lets one setup win a race.
    firstAdmin: { type: Boolean },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
userSchema.index({ firstAdmin: 1 }, { unique: true, sparse: true });

const teamSchema = new Schema(
  {
    name: { type: String, required: true },
    // Lower-cased name: "Продажи" and "продажи" are the same team.
    nameKey: { type: String, required: true, unique: true },
    description: { type: String, default: '' },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export type UserRecord = InferSchemaType<typeof userSchema>;
export type TeamRecord = InferSchemaType<typeof teamSchema>;

function defineModels(db: Connection) {
  return { User: db.model('User', userSchema), Team: db.model('Team', teamSchema) };
}

export type UserModels = ReturnType<typeof defineModels>;

const byConnection = new WeakMap<Connection, UserModels>();

/** The users domain's models on one connection, defined once per connection. */
export function userModels(db: Connection): UserModels {
  const existing = byConnection.get(db);
  if (existing) return existing;
  const models = defineModels(db);
  byConnection.set(db, models);
  return models;
}
