import type { Connection } from 'mongoose';
import type { Actor } from '../deals/actor-schema.js';
import { appointmentModel, type AppointmentRecord } from './appointment-model.js';
import type { NewAppointmentInput } from './appointment-schema.js';
import { findOverlap, overlapConflict } from './find-overlap.js';

/**
 * Books an appointment unless it overlaps another of the manager's (409). Without transactions a
 * check before the insert can race, so the insert is checked again afterwards and withdrawn if
 * someone else booked the same time meanwhile: two racing bookings may both be refused, never both
 * kept. The bot books consultations through this too.
 */
export async function bookAppointment(
  db: Connection,
  input: NewAppointmentInput & { managerId: string },
  createdBy: Actor,
): Promise<AppointmentRecord> {
  const Appointment = await appointmentModel(db);
  const early = await findOverlap(Appointment, input);
  if (early) throw overlapConflict(early);
  const created = (await Appointment.create({ ...input, createdBy })).toObject<AppointmentRecord>();
  const late = await findOverlap(Appointment, created);
  if (late) {
    await Appointment.deleteOne({ _id: created._id });
    throw overlapConflict(late);
  }
  return created;
}
