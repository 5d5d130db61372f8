import { describe, expect, it } from 'vitest';
import { countSmsSegments } from '../../bot/sms/count-sms-segments.js';

describe('countSmsSegments', () => {
  it('should count Latin text in GSM-7: 160 in one SMS, 153 per part after that', () => {
    expect(countSmsSegments('')).toMatchObject({ encoding: 'GSM-7', segments: 0 });
    expect(countSmsSegments('a'.repeat(160))).toMatchObject({
      encoding: 'GSM-7',
      segments: 1,
      units: 160,
      perSegment: 160,
      remaining: 0,
    });
    expect(countSmsSegments('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153, remaining: 145 });
    expect(countSmsSegments('a'.repeat(306))).toMatchObject({ segments: 2, remaining: 0 });
    expect(countSmsSegments('a'.repeat(307))).toMatchObject({ segments: 3 });
    expect(countSmsSegments('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ ¡ÄÖÑÜ§¿äöñüà')).toMatchObject({ encoding: 'GSM-7' });
  });

  it('should count the GSM extension characters twice and never split one across two SMS', () => {
    expect(countSmsSegments('€[]{}|~^\\')).toMatchObject({ encoding: 'GSM-7', units: 18 });
    expect(countSmsSegments('€'.repeat(80))).toMatchObject({ segments: 1, units: 160 });
    expect(countSmsSegments('€'.repeat(81))).toMatchObject({ segments: 2, remaining: 143 });
    // 152 letters, then a € that would straddle the 153rd septet: it starts the second part.
    expect(countSmsSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`)).toMatchObject({ segments: 2, remaining: 141 });
  });

  it('should count Cyrillic in UCS-2: 70 in one SMS, 67 per part, even for one Cyrillic letter among Latin', () => {
    expect(countSmsSegments('Ж'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1, remaining: 0 });
    expect(countSmsSegments('Ж'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67, remaining: 63 });
    expect(countSmsSegments('Ж'.repeat(134))).toMatchObject({ segments: 2, remaining: 0 });
    expect(countSmsSegments('Ж'.repeat(135))).toMatchObject({ segments: 3 });
    expect(countSmsSegments(`${'a'.repeat(100)} Ж`)).toMatchObject({
      encoding: 'UCS-2',
      segments: 2,
      unicodeCharacters: ['Ж'],
    });
    expect(countSmsSegments('ç')).toMatchObject({ encoding: 'UCS-2' });
  });

  it('should count an emoji as two UCS-2 units and never split its pair across two SMS', () => {
    expect(countSmsSegments('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSmsSegments(`${'a'.repeat(66)}${'😀'.repeat(3)}`)).toMatchObject({
      units: 72,
      segments: 2,
      remaining: 61,
      unicodeCharacters: ['😀'],
    });
  });
});
