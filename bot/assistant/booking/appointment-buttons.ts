import { BOOKING_TEXTS, type Language } from './booking-texts.js';

/**
 * The buttons under a booking's confirmation and reminders, and the slots a reschedule offers.
 * Their ids carry the appointment, so a press is understood without any conversation state:
 * `appt-move:<id>`, `appt-cancel:<id>`, `appt-at:<id>:<ISO instant>` (57 bytes at most, within
 * Telegram's 64-byte callback data).
 */
export type AppointmentButton =
  { action: 'move' | 'cancel'; appointmentId: string } | { action: 'moveTo'; appointmentId: string; startsAt: Date };

const OBJECT_ID = /^[0-9a-f]{24}$/;

export function appointmentButtons(appointmentId: string, language: Language): { id: string; text: string }[] {
  return [
    { id: `appt-move:${appointmentId}`, text: BOOKING_TEXTS.reschedule[language] },
    { id: `appt-cancel:${appointmentId}`, text: BOOKING_TEXTS.cancel[language] },
  ];
}

export function moveToButtonId(appointmentId: string, startsAt: Date): string {
  return `appt-at:${appointmentId}:${startsAt.toISOString().replace('.000Z', 'Z')}`;
}

/** The action a pressed button asks for, or undefined for any other button. */
export function readAppointmentButton(id: string | undefined): AppointmentButton | undefined {
  const [kind, appointmentId, ...rest] = (id ?? '').split(':');
  if (!appointmentId || !OBJECT_ID.test(appointmentId)) return undefined;
  if (kind === 'appt-move' && rest.length === 0) return { action: 'move', appointmentId };
  if (kind === 'appt-cancel' && rest.length === 0) return { action: 'cancel', appointmentId };
  if (kind !== 'appt-at') return undefined;
  const startsAt = new Date(rest.join(':'));
  return Number.isNaN(+startsAt) ? undefined : { action: 'moveTo', appointmentId, startsAt };
}
