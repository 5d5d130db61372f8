import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Actor } from '../deals/actor-schema.js';
import { initModel } from '../db/init-model.js';

export const APPOINTMENT_STATUSES = ['planned', 'done', 'cancelled', 'no-show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** The chat an appointment was booked in, and how its client reads times. */
export interface AppointmentChat {
  conversationId: Types.ObjectId;
  language: 'ru' | 'en';
  timeZone: string;
  /** The manager's task for it (kind, e.g. measurement). */
  taskKind: 'call' | 'meeting' | 'measurement' | 'other';
  format: 'office' | 'online' | 'visit';
  /** How far ahead a reschedule searches, in days. */
  days: number;
}

export interface AppointmentRecord {
  _id: Types.ObjectId;
  title: string;
  managerId: Types.ObjectId;
  contactId?: Types.ObjectId;
  dealId?: Types.ObjectId;
  startsAt: Date;
  endsAt: Date;
  place?: string;
  onlineUrl?: string;
  status: AppointmentStatus;
  /** Minutes before the start at which the manager (and the client) are reminded. */
  reminders: number[];
  createdBy: Actor;
  /** Bumped by every change, so undoing a change that caused an overlap undoes only that change. */
  revision: number;
  /** Booked from a chat: where the confirmation, the reminders and the replies to its buttons go. */
  chat?: AppointmentChat;
  /** Set when the bot booked it for a flow's step (`flow|<run>|<step>`), so a retry books nothing new. */
  sourceKey?: string;
  createdAt: Date;
  updatedAt: Date;
}

const appointmentSchema = new Schema<AppointmentRecord>(
  {
    title: { type: String, required: true },
    managerId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId },
    dealId: { type: Schema.Types.ObjectId },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    place: { type: String },
    onlineUrl: { type: String },
    status: { type: String, enum: APPOINTMENT_STATUSES, default: 'planned' },
    reminders: { type: [Number], default: [] },
    createdBy: {
      type: new Schema<Actor>(
        { kind: { type: String, enum: ['user', 'automation'], required: true }, id: { type: String, required: true } },
        { _id: false },
      ),
      required: true,
    },
    revision: { type: Number, default: 0 },
    chat: {
      type: new Schema<AppointmentChat>(
        {
          conversationId: { type: Schema.Types.ObjectId, required: true },
          language: { type: String, enum: ['ru', 'en'], required: true },
          timeZone: { type: String, required: true },
          taskKind: { type: String, enum: ['call', 'meeting', 'measurement', 'other'], required: true },
          format: { type: String, enum: ['office', 'online', 'visit'], required: true },
          days: { type: Number, required: true },
        },
        { _id: false },
      ),
    },
    sourceKey: { type: String },
  },
  { timestamps: true, collection: 'appointments' },
);
// The overlap check and the calendar view both ask "this manager, around this time".
appointmentSchema.index({ managerId: 1, startsAt: 1 });
appointmentSchema.index({ dealId: 1 });
appointmentSchema.index({ sourceKey: 1 }, { unique: true, partialFilterExpression: { sourceKey: { $exists: true } } });

/** The Appointment model on this connection, defined once. */
export async function appointmentModel(db: Connection): Promise<Model<AppointmentRecord>> {
  const model: Model<AppointmentRecord> =
    db.models.Appointment ?? db.model<AppointmentRecord>('Appointment', appointmentSchema);
  await initModel(model);
  return model;
}
