import { DateTime } from 'luxon';

export type Language = 'ru' | 'en';

/** What the bot says about bookings when the flow step gives no text of its own. */
export const BOOKING_TEXTS = {
  offer: { ru: 'Выберите удобное время:', en: 'Please choose a convenient time:' },
  retry: {
    ru: 'Не получилось понять, какое время вам удобно. Выберите, пожалуйста, один из вариантов или напишите, например, «завтра в 15».',
    en: 'I did not catch the time. Please pick one of the options or write, e.g., "tomorrow at 3 pm".',
  },
  dayFree: { ru: 'Свободное время —', en: 'Free times on' },
  weekFree: { ru: 'Свободное время', en: 'Free times' },
  dayBusy: {
    ru: 'На этот день свободного времени нет. Вот ближайшее:',
    en: 'That day is fully booked. Here are the nearest free times:',
  },
  taken: {
    ru: 'Это время уже занято. Вот ближайшие свободные:',
    en: 'That time has just been taken. Here are the nearest free ones:',
  },
  noSlots: {
    ru: 'Свободного времени в ближайшие дни нет. Менеджер свяжется с вами, чтобы договориться.',
    en: 'There is no free time in the coming days. A manager will contact you to arrange one.',
  },
  confirm: { ru: 'Вы записаны.', en: 'You are booked.' },
  moved: { ru: 'Запись перенесена.', en: 'Your appointment has been moved.' },
  moveOffer: { ru: 'На какое время перенести?', en: 'What time would suit you instead?' },
  cancelled: {
    ru: 'Запись отменена. Если захотите записаться снова, просто напишите нам.',
    en: 'Your appointment is cancelled. Write to us whenever you want to book again.',
  },
  gone: { ru: 'Эта запись уже отменена или прошла.', en: 'This appointment is already cancelled or over.' },
  remindDay: { ru: 'Напоминаем: завтра у вас', en: 'A reminder: tomorrow you have' },
  remindSoon: { ru: 'Напоминаем: скоро у вас', en: 'A reminder: soon you have' },
  reschedule: { ru: 'Перенести', en: 'Reschedule' },
  cancel: { ru: 'Отменить', en: 'Cancel' },
  online: { ru: 'Онлайн', en: 'Online' },
  visit: { ru: 'Специалист приедет к вам', en: 'The specialist will come to you' },
  office: { ru: 'Адрес', en: 'Address' },
} as const satisfies Record<string, Record<Language, string>>;

/** "пт, 27 ноября, 10:00" / "Fri, 27 November, 10:00" in the client's zone. */
export function describeTime(startsAt: Date, timeZone: string, language: Language): string {
  return DateTime.fromJSDate(startsAt, { zone: timeZone }).setLocale(language).toFormat('ccc, d MMMM, HH:mm');
}

/** "пт 27.11 10:00": short enough for a WhatsApp list row (24 characters). */
export function shortTime(startsAt: Date, timeZone: string, language: Language): string {
  return DateTime.fromJSDate(startsAt, { zone: timeZone }).setLocale(language).toFormat('ccc dd.MM HH:mm');
}

export interface MeetingDetails {
  title: string;
  startsAt: Date;
  format: 'office' | 'online' | 'visit';
  place?: string;
  onlineUrl?: string;
}

/** The lines that say what, when and where: "Бесплатный замер — пт, 27 ноября, 10:00 (Europe/Moscow)". */
export function describeMeeting(meeting: MeetingDetails, timeZone: string, language: Language): string {
  const when = `${meeting.title} — ${describeTime(meeting.startsAt, timeZone, language)} (${timeZone})`;
  const where =
    meeting.format === 'online'
      ? `${BOOKING_TEXTS.online[language]}: ${meeting.onlineUrl ?? ''}`.trim()
      : meeting.format === 'visit'
        ? BOOKING_TEXTS.visit[language]
        : meeting.place && `${BOOKING_TEXTS.office[language]}: ${meeting.place}`;
  return [when, where].filter(Boolean).join('\n');
}
