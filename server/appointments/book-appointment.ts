import type { Connection } from 'mongoose';
import type { Actor } from '../deals/actor-schema.js';
import { appointmentModel, type AppointmentRecord } from './appointment-model.js';
import type { NewAppointmentInput } from './appointment-schema.js';
import { findOverlap, overlapConflict } from './find-overlap.js';
import { withCalendarLock } from './with-calendar-lock.js';

/**
 * Books an appointment unless it overlaps another of the manager's (409). Bookings of one calendar
 * take turns (withCalendarLock), so of two racing for the same time exactly one is kept; moves take
 * the same lease (changeAppointment). The insert is still checked again afterwards and withdrawn if
 * something took the time meanwhile (a lease that expired under a stalled holder). The bot books consultations through
 * this too.
 */
export async function bookAppointment(
  db: Connection,
  input: NewAppointmentInput & { managerId: string } & Pick<AppointmentRecord, 'chat' | 'sourceKey'>,
  createdBy: Actor,
): Promise<AppointmentRecord> {
  const Appointment = await appointmentModel(db);
  return withCalendarLock(db, String(input.managerId), async () => {
    const early = await findOverlap(Appointment, input);
    if (early) throw overlapConflict(early);
    const created = (await Appointment.create({ ...input, createdBy })).toObject<AppointmentRecord>();
    const late = await findOverlap(Appointment, created);
    if (late) {
      await Appointment.deleteOne({ _id: created._id });
      throw overlapConflict(late);
    }
    return created;
  });
}
