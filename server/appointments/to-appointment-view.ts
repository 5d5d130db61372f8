import type { AppointmentRecord } from './appointment-model.js';
import type { AppointmentView } from './appointment-schema.js';

/** A stored appointment as the API shows it. */
export function toAppointmentView(appointment: AppointmentRecord): AppointmentView {
  return {
    id: String(appointment._id),
    title: appointment.title,
    managerId: String(appointment.managerId),
    ...(appointment.contactId ? { contactId: String(appointment.contactId) } : {}),
    ...(appointment.dealId ? { dealId: String(appointment.dealId) } : {}),
    startsAt: appointment.startsAt,
    endsAt: appointment.endsAt,
    ...(appointment.place ? { place: appointment.place } : {}),
    ...(appointment.onlineUrl ? { onlineUrl: appointment.onlineUrl } : {}),
    status: appointment.status,
    reminders: appointment.reminders,
    createdBy: { kind: appointment.createdBy.kind, id: appointment.createdBy.id },
    createdAt: appointment.createdAt,
    updatedAt: appointment.updatedAt,
  };
}
