import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import { defineRoute, type AuthUser } from '../api/define-route.js';
import { decodeCursor, pageOf } from '../api/pagination.js';
import { seesEverything } from '../auth/permissions.js';
import { recordAudit } from '../audit/record-audit.js';
import { actorOf } from '../deals/actor-schema.js';
import { appointmentModel, type AppointmentRecord } from './appointment-model.js';
import {
  appointmentIdParamsSchema,
  appointmentListQuerySchema,
  appointmentViewSchema,
  createAppointmentSchema,
  updateAppointmentSchema,
} from './appointment-schema.js';
import { bookAppointment } from './book-appointment.js';
import { changeAppointment } from './change-appointment.js';
import { syncAppointmentFollowUps } from './sync-appointment-follow-ups.js';
import { toAppointmentView } from './to-appointment-view.js';

/**
 * Everyone who may read appointments sees the whole calendar: operators book consultations into
 * managers' free time, so they must see who is busy when. Changing one is for its manager, whoever
 * booked it, and managers/admins.
 */
function writeScope(user: AuthUser): QueryFilter<AppointmentRecord> {
  if (seesEverything(user.role)) return {};
  return { $or: [{ managerId: user.id }, { 'createdBy.kind': 'user', 'createdBy.id': user.id }] };
}

export const appointmentRoutes = [
  defineRoute({
    method: 'get',
    path: '/appointments',
    summary: 'List appointments by manager, deal, contact, status or calendar window',
    tag: 'appointments',
    access: 'appointments.read',
    query: appointmentListQuerySchema,
    response: z.object({ items: z.array(appointmentViewSchema), nextCursor: z.string().optional() }),
    handler: async ({ query, services }) => {
      const Appointment = await appointmentModel(services.db);
      const after = decodeCursor(query.cursor);
      const filter: QueryFilter<AppointmentRecord> = {
        ...(query.managerId ? { managerId: query.managerId } : {}),
        ...(query.dealId ? { dealId: query.dealId } : {}),
        ...(query.contactId ? { contactId: query.contactId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.to ? { startsAt: { $lt: query.to } } : {}),
        ...(query.from ? { endsAt: { $gt: query.from } } : {}),
        ...(after ? { _id: { $lt: after } } : {}),
      };
      const rows = await Appointment.find(filter)
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<AppointmentRecord[]>();
      return pageOf(rows.map(toAppointmentView), query.limit);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/appointments',
    summary: "Book an appointment in a manager's calendar (409 when it overlaps another)",
    tag: 'appointments',
    access: 'appointments.write',
    status: 201,
    body: createAppointmentSchema,
    response: appointmentViewSchema,
    handler: async ({ body, user, services }) => {
      const appointment = await bookAppointment(
        services.db,
        { ...body, managerId: body.managerId ?? user.id },
        actorOf(user),
      );
      await syncAppointmentFollowUps(services, appointment);
      const view = toAppointmentView(appointment);
      await recordAudit(services, {
        actor: user,
        action: 'appointment.create',
        entity: 'appointment',
        entityId: view.id,
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/appointments/:id',
    summary: 'One appointment',
    tag: 'appointments',
    access: 'appointments.read',
    params: appointmentIdParamsSchema,
    response: appointmentViewSchema,
    handler: async ({ params, services }) => {
      const Appointment = await appointmentModel(services.db);
      const appointment = await Appointment.findById(params.id).lean<AppointmentRecord>();
      if (!appointment) throw notFound('Appointment');
      return toAppointmentView(appointment);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/appointments/:id',
    summary: 'Reschedule, reassign, change status or reminders (409 when it would overlap)',
    tag: 'appointments',
    access: 'appointments.write',
    params: appointmentIdParamsSchema,
    body: updateAppointmentSchema,
    response: appointmentViewSchema,
    handler: async ({ params, body, user, services }) => {
      const { before, after } = await changeAppointment(services.db, { ...writeScope(user), _id: params.id }, body);
      await syncAppointmentFollowUps(services, after, { before });
      const view = toAppointmentView(after);
      await recordAudit(services, {
        actor: user,
        action: 'appointment.update',
        entity: 'appointment',
        entityId: view.id,
        before: toAppointmentView(before),
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/appointments/:id',
    summary: 'Delete an appointment booked by mistake (cancel it instead to keep it in history)',
    tag: 'appointments',
    access: 'appointments.write',
    params: appointmentIdParamsSchema,
    handler: async ({ params, user, services }) => {
      const Appointment = await appointmentModel(services.db);
      const deleted = await Appointment.findOneAndDelete({
        ...writeScope(user),
        _id: params.id,
      }).lean<AppointmentRecord>();
      if (!deleted) throw notFound('Appointment');
      await syncAppointmentFollowUps(services, { ...deleted, status: 'cancelled' });
      await recordAudit(services, {
        actor: user,
        action: 'appointment.delete',
        entity: 'appointment',
        entityId: params.id,
        before: toAppointmentView(deleted),
      });
      return undefined;
    },
  }),
];
