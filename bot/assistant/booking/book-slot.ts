import type { Connection } from 'mongoose';
import { z } from 'zod';
import { ApiError } from '../../../server/api/api-error.js';
import type { AppointmentRecord } from '../../../server/appointments/appointment-model.js';
import { bookAppointment } from '../../../server/appointments/book-appointment.js';
import { recordBotBooked } from '../../../server/reports/events/record-bot-event.js';
import { freeSlots, type FreeSlot } from './free-slots.js';
import { loadCalendar } from './load-calendar.js';

/** How the bot offers consultations: slot length, notice, how far ahead, whose calendars. */
export const bookingSettingsSchema = z.object({
  slotMinutes: z.number().int().min(5).max(480).default(60),
  minNoticeMinutes: z.number().int().min(0).default(120),
  days: z.number().int().min(1).max(60).default(7),
  managerIds: z.array(z.string()).optional(),
  /** Minutes before the start when the client and the manager are reminded: a day and an hour. */
  reminders: z.array(z.number().int().min(0)).default([24 * 60, 60]),
});
export type BookingSettings = z.input<typeof bookingSettingsSchema>;

export interface SlotSearch {
  settings: BookingSettings;
  now: Date;
  clientTimeZone: string;
}

/** The free slots of the configured calendars from now on. */
export async function findFreeSlots(db: Connection, search: SlotSearch): Promise<FreeSlot[]> {
  const settings = bookingSettingsSchema.parse(search.settings);
  const to = new Date(+search.now + (settings.days + 2) * 24 * 60 * 60_000);
  const calendar = await loadCalendar(db, {
    from: search.now,
    to,
    ...(settings.managerIds ? { managerIds: settings.managerIds } : {}),
  });
  return freeSlots({ ...calendar, ...settings, now: search.now, clientTimeZone: search.clientTimeZone });
}

export type BookSlotResult =
  | { ok: true; appointment: AppointmentRecord }
  /** Someone took the slot first (or it is no longer free): the next free slots to offer instead. */
  | { ok: false; reason: 'taken'; next: FreeSlot[] };

/**
 * Books the slot the client chose with the first of its managers who is still free at that time
 * (each booking is atomic per calendar, see bookAppointment); when all of them were taken meanwhile
 * the client is offered the next free slots rather than an error.
 */
export async function bookSlot(
  db: Connection,
  choice: {
    startsAt: Date;
    title: string;
    contactId?: string;
    dealId?: string;
    place?: string;
    onlineUrl?: string;
  } & Pick<AppointmentRecord, 'chat' | 'sourceKey'>,
  search: SlotSearch,
): Promise<BookSlotResult> {
  const settings = bookingSettingsSchema.parse(search.settings);
  const endsAt = new Date(+choice.startsAt + settings.slotMinutes * 60_000);
  const slots = await findFreeSlots(db, search);
  const chosen = slots.find((slot) => +slot.startsAt === +choice.startsAt);
  for (const managerId of chosen?.managerIds ?? []) {
    try {
      const appointment = await bookAppointment(
        db,
        {
          ...choice,
          managerId,
          endsAt,
          status: 'planned',
          reminders: [...new Set(settings.reminders)].sort((a, b) => b - a),
        },
        { kind: 'automation', id: 'bot' },
      );
      if (choice.chat)
        await recordBotBooked(db, {
          conversationId: choice.chat.conversationId.toHexString(),
          appointmentId: appointment._id.toHexString(),
          at: appointment.createdAt ?? new Date(),
        });
      return { ok: true, appointment };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
    }
  }
  const next = (await findFreeSlots(db, search)).filter((slot) => +slot.startsAt !== +choice.startsAt);
  return { ok: false, reason: 'taken', next };
}
