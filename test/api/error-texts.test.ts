import { describe, expect, it } from 'vitest';
import { ApiError, badRequest, notFound, validationFailed } from '../../server/api/api-error.js';
import { errorTexts } from '../../server/api/error-texts.js';

/** Keys whose Russian is the English on purpose: none yet, every refusal is worded for Russian readers. */
const SAME_IN_BOTH = new Set<string>();

describe('errorTexts', () => {
  it('should have a Russian text for every key, worded in Russian', () => {
    const { en } = errorTexts.texts;
    const ru: Record<string, string> = errorTexts.texts.ru;
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    const untranslated = Object.entries(en)
      .filter(([key]) => !SAME_IN_BOTH.has(key))
      .filter(([key, english]) => ru[key] === english || !/[а-яё]/i.test(ru[key] ?? ''))
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
  });

  it('should keep every text in one language: no "English / Русский" halves', () => {
    const bilingual = Object.entries(errorTexts.texts.en).filter(([, text]) => /[а-яё]/i.test(text));
    expect(bilingual).toEqual([]);
  });
});

describe('ApiError', () => {
  it('should keep its English message and answer in the language asked for', () => {
    const error = badRequest(errorTexts.sayWith('noSuchStage', { pipeline: 'Продажи', stage: 'won' }));
    expect(error.message).toBe('Pipeline "Продажи" has no stage "won"');
    expect(error.toBody('ru').error.message).toBe('В воронке «Продажи» нет этапа «won»');
    expect(error.toBody('en').error.message).toBe('Pipeline "Продажи" has no stage "won"');
    expect(error.toJSON()).toEqual(error.toBody('en'));
  });

  it("should name a missing thing with the Russian word's own gender", () => {
    expect(notFound('Deal').toBody('ru').error.message).toBe('Сделка не найдена');
    expect(notFound('Contact').toBody('ru').error.message).toBe('Контакт не найден');
    expect(notFound().toBody('en').error.message).toBe('Record not found');
  });

  it('should word the problems a validation failure lists, and leave texts of its own as they are', () => {
    const error = validationFailed([
      { path: 'a', message: errorTexts.sayWith('customFieldNumber', { key: 'rooms' }) },
      { in: 'body', path: 'b', message: 'A text no dictionary has' },
    ]);
    expect(error.details).toEqual([
      { path: 'a', message: "'rooms' must be a number" },
      { in: 'body', path: 'b', message: 'A text no dictionary has' },
    ]);
    expect(error.toBody('ru').error).toEqual({
      code: 'validation_failed',
      message: 'В запросе есть неверные или неизвестные поля',
      details: [
        { path: 'a', message: '«rooms»: нужно число' },
        { in: 'body', path: 'b', message: 'A text no dictionary has' },
      ],
    });
  });

  it('should word a value given in both languages in the reader’s', () => {
    const text = errorTexts.sayWith('reportNotForRole', {
      report: { en: 'Manager activity', ru: 'Активность менеджеров' },
      role: 'marketer',
    });
    const error = new ApiError(403, 'forbidden', text);
    expect(error.message).toBe('The "Manager activity" report is not available to the marketer role');
    expect(error.toBody('ru').error.message).toBe('Отчёт «Активность менеджеров» недоступен роли marketer');
  });
});
