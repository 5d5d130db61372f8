import type { Connection, Model, QueryFilter } from 'mongoose';
import { badRequest, conflict, notFound } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { validationTexts } from '../api/validation-texts.js';
import { appointmentModel, type AppointmentRecord } from './appointment-model.js';
import type { AppointmentPatch } from './appointment-schema.js';
import { findOverlap, overlapConflict } from './find-overlap.js';
import { withCalendarLock } from './with-calendar-lock.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `$set` for the given values, `$unset` for the nulls. */
function toUpdate(values: Record<string, unknown>) {
  const entries = Object.entries(values).filter(([, value]) => value !== undefined);
  return {
    $set: Object.fromEntries(entries.filter(([, value]) => value !== null)),
    $unset: Object.fromEntries(entries.filter(([, value]) => value === null).map(([key]) => [key, ''] as const)),
  };
}

/**
 * Applies a change to an appointment within the caller's scope, refusing one that would overlap
 * another of the manager's (409). It holds the lease on the calendar the appointment ends up in
 * (withCalendarLock), like booking, so a move cannot land on a slot being booked; it still checks
 * again after writing and, when a change of the previous manager's calendar raced it, undoes its
 * own write (guarded by the revision it produced).
 */
export async function changeAppointment(
  db: Connection,
  filter: QueryFilter<AppointmentRecord>,
  patch: AppointmentPatch,
): Promise<{ before: AppointmentRecord; after: AppointmentRecord }> {
  const Appointment = await appointmentModel(db);
  const found = await Appointment.findOne(filter).lean<AppointmentRecord>();
  if (!found) throw notFound('Appointment');
  return withCalendarLock(db, String(patch.managerId ?? found.managerId), async () => {
    const before = await Appointment.findOne({ ...filter, _id: found._id }).lean<AppointmentRecord>();
    if (!before) throw notFound('Appointment');
    return applyChange(Appointment, before, patch);
  });
}

async function applyChange(
  Appointment: Model<AppointmentRecord>,
  before: AppointmentRecord,
  patch: AppointmentPatch,
): Promise<{ before: AppointmentRecord; after: AppointmentRecord }> {
  const startsAt = patch.startsAt ?? before.startsAt;
  const endsAt = patch.endsAt ?? before.endsAt;
  if (endsAt <= startsAt || +endsAt - +startsAt > DAY_MS) throw badRequest(validationTexts.say('meetingTimes'));
  const place = patch.place === null ? undefined : (patch.place ?? before.place);
  const onlineUrl = patch.onlineUrl === null ? undefined : (patch.onlineUrl ?? before.onlineUrl);
  if (place && onlineUrl) throw badRequest(validationTexts.say('placeOrLink'));
  const slot = {
    _id: before._id,
    managerId: patch.managerId ?? before.managerId,
    startsAt,
    endsAt,
    status: patch.status ?? before.status,
  };
  const early = await findOverlap(Appointment, slot);
  if (early) throw overlapConflict(early);

  const after = await Appointment.findOneAndUpdate(
    { _id: before._id, revision: before.revision },
    { ...toUpdate(patch), $inc: { revision: 1 } },
    { returnDocument: 'after' },
  ).lean<AppointmentRecord>();
  if (!after) throw conflict(errorTexts.say('appointmentChangedMeanwhile'));
  const late = await findOverlap(Appointment, after);
  if (late) {
    const previous: Record<string, unknown> = { ...before };
    const restore = Object.fromEntries(Object.keys(patch).map((key) => [key, previous[key] ?? null]));
    await Appointment.updateOne(
      { _id: before._id, revision: after.revision },
      { ...toUpdate(restore), $inc: { revision: 1 } },
    );
    throw overlapConflict(late);
  }
  return { before, after };
}
