import type { Connection } from 'mongoose';
import { appointmentModel, type AppointmentRecord } from '../../../server/appointments/appointment-model.js';
import {
  FLOW_WORKSPACE_ID,
  flowWorkspaceModel,
  type FlowWorkspaceRecord,
} from '../../../server/flows/flow-workspace-model.js';
import { userModels } from '../../../server/users/user-models.js';
import { calendarManagerSchema, type BusyInterval, type CalendarManager } from './free-slots.js';

/**
 * The installed template's business hours as working hours, for managers who set none of their
 * own: a fresh workspace made from a template offers slots before anyone fills in a schedule.
 */
async function workspaceHours(db: Connection): Promise<Pick<CalendarManager, 'workingHours' | 'timeZone'> | undefined> {
  const stored = await (await flowWorkspaceModel(db)).findById(FLOW_WORKSPACE_ID).lean<FlowWorkspaceRecord>();
  if (!stored) return undefined;
  const { businessHours, timeZone } = stored.workspace;
  return {
    workingHours: businessHours.flatMap((hours) =>
      hours.days.map((weekday) => ({ weekday, from: hours.from, to: hours.to })),
    ),
    timeZone,
  };
}

/**
 * The calendars slots are searched in: the given managers (or every active manager) with their
 * working hours (the workspace's business hours for those who have none) and their planned
 * appointments that touch [from, to).
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
  const fallback = users.some((user) => user.workingHours.length === 0) ? await workspaceHours(db) : undefined;
  const managers = users.flatMap((user) => {
    const own = user.workingHours.length > 0;
    if (!own && !fallback) return [];
    return calendarManagerSchema.parse({
      id: String(user._id),
      workingHours: own
        ? user.workingHours.map(({ weekday, from, to }) => ({ weekday, from, to }))
        : fallback!.workingHours,
      timeZone: own ? user.timeZone : fallback!.timeZone,
    });
  });
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
