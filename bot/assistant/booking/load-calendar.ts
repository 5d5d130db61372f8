import type { Connection } from 'mongoose';
import { appointmentModel, type AppointmentRecord } from '../../../server/appointments/appointment-model.js';
import { userModels } from '../../../server/users/user-models.js';
import { calendarManagerSchema, type BusyInterval, type CalendarManager } from './free-slots.js';

/**
 * The calendars slots are searched in: the given managers (or every active manager with working
 * hours) and their planned appointments that touch [from, to).
 */
export async function loadCalendar(
  db: Connection,
  window: { from: Date; to: Date; managerIds?: readonly string[] },
): Promise<{ managers: CalendarManager[]; busy: BusyInterval[] }> {
  const { User } = userModels(db);
  const users = await User.find(
    window.managerIds ? { _id: { $in: window.managerIds }, active: true } : { role: 'manager', active: true },
  )
    .sort({ _id: 1 })
    .lean();
  const managers = users
    .filter((user) => user.workingHours.length > 0)
    .map((user) =>
      calendarManagerSchema.parse({
        id: String(user._id),
        workingHours: user.workingHours.map(({ weekday, from, to }) => ({ weekday, from, to })),
        timeZone: user.timeZone,
      }),
    );
  // Keep the caller's order of preference when ids were given.
  if (window.managerIds) {
    const order = window.managerIds;
    managers.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  }
  const Appointment = await appointmentModel(db);
  const appointments = await Appointment.find({
    managerId: { $in: managers.map((manager) => manager.id) },
    status: 'planned',
    startsAt: { $lt: window.to },
    endsAt: { $gt: window.from },
  }).lean<AppointmentRecord[]>();
  return {
    managers,
    busy: appointments.map((a) => ({ managerId: String(a.managerId), startsAt: a.startsAt, endsAt: a.endsAt })),
  };
}
