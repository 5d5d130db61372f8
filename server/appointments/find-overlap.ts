import type { Model, Types } from 'mongoose';
import { conflict } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import type { AppointmentRecord, AppointmentStatus } from './appointment-model.js';

/** The time an appointment takes (or would take): `_id` absent before it is inserted. */
interface Slot {
  _id?: Types.ObjectId;
  managerId: Types.ObjectId | string;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
}

/**
 * Another planned appointment of the same manager that shares time with this one (touching
 * ends do not overlap: 10:00-11:00 and 11:00-12:00 both fit). Cancelled, done and no-show
 * appointments free their time.
 */
export async function findOverlap(
  Appointment: Model<AppointmentRecord>,
  slot: Slot,
): Promise<AppointmentRecord | null> {
  if (slot.status !== 'planned') return null;
  return Appointment.findOne({
    ...(slot._id ? { _id: { $ne: slot._id } } : {}),
    managerId: slot.managerId,
    status: 'planned',
    startsAt: { $lt: slot.endsAt },
    endsAt: { $gt: slot.startsAt },
  }).lean<AppointmentRecord>();
}

export const overlapConflict = (other: AppointmentRecord) =>
  conflict(errorTexts.say('managerBusy'), {
    appointmentId: String(other._id),
    startsAt: other.startsAt,
    endsAt: other.endsAt,
  });
