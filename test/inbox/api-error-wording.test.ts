import { describe, expect, it } from 'vitest';
import { apiErrorWording } from '../../inbox/src/lib/api-error-wording.js';
import { errorsEn, errorsRu } from '../../inbox/src/lib/messages/errors.js';

describe('apiErrorWording', () => {
  it('should word a lost connection as the network being down', () => {
    expect(apiErrorWording({ status: 0 }, 'ru')).toEqual({ key: 'errors.network' });
  });

  it('should word the codes that speak for themselves in the inbox language, whatever the message', () => {
    expect(apiErrorWording({ status: 403, code: 'forbidden', message: 'Your role does not allow this' }, 'ru')).toEqual(
      {
        key: 'errors.forbidden',
      },
    );
    expect(apiErrorWording({ status: 404, code: 'not_found', message: 'Deal not found' }, 'en')).toEqual({
      key: 'errors.notFound',
    });
    expect(apiErrorWording({ status: 403, code: 'csrf_failed', message: 'Missing x-csrf-token' }, 'ru')).toEqual({
      key: 'errors.csrf',
    });
  });

  it('should tell how long to wait when rate limited', () => {
    expect(
      apiErrorWording(
        { status: 429, code: 'rate_limited', message: 'Slow down', details: { retryAfterSeconds: 4.2 } },
        'ru',
      ),
    ).toEqual({ key: 'errors.rateLimited', params: { seconds: 5 } });
  });

  it('should know the refusals an operator meets by their wording, under their generic code', () => {
    const refusal = {
      status: 403,
      code: 'forbidden',
      message: 'Giving a conversation to someone else needs the conversations.reassign permission',
    };
    expect(apiErrorWording(refusal, 'ru')).toEqual({ key: 'errors.reassignConversation' });
    expect(apiErrorWording({ status: 409, code: 'conflict', message: 'A team with this name exists' }, 'en')).toEqual({
      key: 'errors.teamNameTaken',
    });
  });

  it("should pick the reader's half of an answer the server gives in both languages", () => {
    const both = { status: 409, code: 'conflict', message: 'At least two / Хотя бы два' };
    expect(apiErrorWording(both, 'ru')).toEqual({ text: 'Хотя бы два' });
    expect(apiErrorWording(both, 'en')).toEqual({ text: 'At least two' });
  });

  it("should keep Russian banners Russian for an unknown conflict, and give English readers the server's precise text", () => {
    const other = { status: 409, code: 'conflict', message: 'The lead is already converted' };
    expect(apiErrorWording(other, 'ru')).toEqual({ key: 'errors.conflict' });
    expect(apiErrorWording(other, 'en')).toEqual({ text: 'The lead is already converted' });
  });

  it("should show the server's own words when they come in the reader's language", () => {
    const russian = {
      status: 409,
      code: 'conflict',
      message: 'Лид уже конвертирован',
      language: 'ru' as const,
    };
    expect(apiErrorWording(russian, 'ru')).toEqual({ text: 'Лид уже конвертирован' });
    expect(apiErrorWording({ ...russian, code: 'bad_request' }, 'ru')).toEqual({ text: 'Лид уже конвертирован' });
    const refused = {
      status: 403,
      code: 'forbidden',
      message: 'Передать разговор другому может только менеджер или администратор (право conversations.reassign)',
      language: 'ru' as const,
    };
    expect(apiErrorWording(refused, 'ru')).toEqual({ text: refused.message });
    expect(apiErrorWording({ ...refused, message: 'Only for the pipeline owner', language: 'en' }, 'en')).toEqual({
      text: 'Only for the pipeline owner',
    });
  });

  it("should keep the inbox's own text when the server's words are in another language", () => {
    expect(
      apiErrorWording({ status: 409, code: 'conflict', message: 'Лид уже конвертирован', language: 'ru' }, 'en'),
    ).toEqual({ key: 'errors.conflict' });
    expect(
      apiErrorWording({ status: 400, code: 'bad_request', message: 'No such team', language: 'en' }, 'ru'),
    ).toEqual({ key: 'errors.badRequest' });
    expect(
      apiErrorWording({ status: 404, code: 'not_found', message: 'Сделка не найдена', language: 'ru' }, 'ru'),
    ).toEqual({ key: 'errors.notFound' });
  });

  it('should still know the English words a flow kept, whatever language the inbox reads', () => {
    const kept = { status: 400, code: 'conflict', message: 'The calendar is busy; try again' };
    expect(apiErrorWording(kept, 'ru')).toEqual({ key: 'errors.changedMeanwhile' });
    expect(apiErrorWording({ ...kept, language: 'en' }, 'en')).toEqual({ key: 'errors.changedMeanwhile' });
  });

  it("should fall back to the server's message only for an unknown code, and to nothing without one", () => {
    expect(apiErrorWording({ status: 422, code: 'brand_new', message: 'Something new' }, 'ru')).toEqual({
      text: 'Something new',
    });
    expect(apiErrorWording({ status: 500 }, 'ru')).toBeUndefined();
  });

  it('should have every error text in both languages', () => {
    expect(Object.keys(errorsEn).sort()).toEqual(Object.keys(errorsRu).sort());
    for (const text of Object.values(errorsRu)) expect(text).toMatch(/[а-яё]/i);
  });
});
