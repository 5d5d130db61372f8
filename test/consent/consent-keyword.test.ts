import { describe, expect, it } from 'vitest';
import { consentKeyword } from '../../bot/channels/consent-keyword.js';

describe('consentKeyword', () => {
  it('should read the opt-out and opt-in keywords alone, in any case, with trailing punctuation, on every channel', () => {
    for (const words of ['chat', 'carrier'] as const) {
      for (const text of ['STOP', ' stop ', 'Stop.', 'unsubscribe', 'стоп!', 'Отписаться', 'ОТПИСАТЬСЯ…']) {
        expect(consentKeyword(text, words), `${text} (${words})`).toMatchObject({ status: 'opted-out' });
      }
      for (const text of ['START', 'start', 'СТАРТ', 'старт.']) {
        expect(consentKeyword(text, words), `${text} (${words})`).toMatchObject({ status: 'opted-in' });
      }
      for (const text of ['Не могу остановиться', 'stop calling me please', 'Стоп-кран', 'Стоп, а цена?', '']) {
        expect(consentKeyword(text, words), `${text} (${words})`).toBeUndefined();
      }
    }
    expect(consentKeyword('стоп!', 'chat')).toEqual({ status: 'opted-out', keyword: 'СТОП' });
  });

  it('should read the words carriers act on only on SMS, where a chat would take them as an answer', () => {
    for (const text of ['STOPALL', 'CANCEL', 'end', 'Quit']) {
      expect(consentKeyword(text, 'carrier'), text).toMatchObject({ status: 'opted-out' });
      expect(consentKeyword(text, 'chat'), text).toBeUndefined();
    }
    expect(consentKeyword('unstop', 'carrier')).toMatchObject({ status: 'opted-in' });
    expect(consentKeyword('unstop', 'chat')).toBeUndefined();
  });

  it('should read /stop as a bot command, but leave /start to the bot that answers it', () => {
    expect(consentKeyword('/stop', 'chat')).toEqual({ status: 'opted-out', keyword: 'STOP' });
    expect(consentKeyword('/stop@EcoDomBot', 'chat')).toEqual({ status: 'opted-out', keyword: 'STOP' });
    expect(consentKeyword('/start', 'chat')).toBeUndefined();
    expect(consentKeyword('/start@EcoDomBot', 'chat')).toBeUndefined();
    expect(consentKeyword('/help', 'chat')).toBeUndefined();
  });
});
