import { describe, expect, it } from 'vitest';
import { dayLabel, shortTime } from '../../inbox/src/lib/format-time.js';

describe('format time', () => {
  const now = new Date(2026, 10, 26, 15, 0);

  it('should name today and yesterday in Russian and English', () => {
    expect(dayLabel('2026-11-26', now, 'ru')).toBe('Сегодня');
    expect(dayLabel('2026-11-25', now, 'ru')).toBe('Вчера');
    expect(dayLabel('2026-11-26', now, 'en')).toBe('Today');
    expect(dayLabel('2026-11-12', now, 'ru')).toBe('12 ноября');
    expect(dayLabel('2025-11-12', now, 'en')).toBe('November 12, 2025');
  });

  it('should say "now" under a minute', () => {
    expect(shortTime(new Date(2026, 10, 26, 14, 59, 40).toISOString(), now, 'ru')).toBe('сейчас');
    expect(shortTime(new Date(2026, 10, 26, 14, 59, 40).toISOString(), now, 'en')).toBe('now');
  });

  it('should count minutes within the hour and show the time later today', () => {
    expect(shortTime(new Date(2026, 10, 26, 14, 55).toISOString(), now, 'en')).toBe('5 min');
    // Never «-5 мин», which Russian's narrow relative time gives.
    expect(shortTime(new Date(2026, 10, 26, 14, 55).toISOString(), now, 'ru')).toBe('5 мин');
    expect(shortTime(new Date(2026, 10, 26, 9, 5).toISOString(), now, 'ru')).toBe('09:05');
  });
});
