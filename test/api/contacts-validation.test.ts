import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactModels } from '../../server/contacts/contact-models.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { randomMobile } from './contacts-test-data.js';

describe('contacts: validation', () => {
  let api: TestApi;
  let manager: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
    admin = await api.as('admin');
    const field = await admin.post('/custom-fields', {
      entity: 'contact',
      key: 'window_count',
      label: { ru: 'Количество окон', en: 'Windows' },
      type: 'number',
    });
    expect(field.status).toBe(201);
    await admin.post('/custom-fields', {
      entity: 'contact',
      key: 'house_type',
      label: { ru: 'Тип дома' },
      type: 'select',
      options: [
        { value: 'frame', label: { ru: 'Каркасный' } },
        { value: 'brick', label: { ru: 'Кирпичный' } },
      ],
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  const count = () => contactModels(api.db).Contact.countDocuments();

  async function rawPost(body: string) {
    const response = await fetch(`${api.baseUrl}/api/v1/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: manager.cookie!, 'x-csrf-token': manager.csrfToken ?? '' },
      body,
    });
    return { status: response.status, body: (await response.json()) as { error: { code: string } } };
  }

  it('should answer 400 and write nothing for malformed or wrong bodies', async () => {
    const before = await count();
    const cases: [string, unknown][] = [
      ['unknown field', { name: 'Иван', nickname: 'Ваня' }],
      ['operator key', { name: 'Иван', customFields: { $where: '1' } }],
      ['nested operator key', { name: 'Иван', utm: { $gt: '' } }],
      ['wrong type', { name: 42 }],
      ['bad phone', { name: 'Иван', phones: ['12-34'] }],
      ['bad e-mail', { name: 'Иван', emails: ['not-an-email'] }],
      ['unknown channel', { identities: [{ channel: 'icq', externalId: '1' }] }],
      ['nobody', { tags: ['vip'] }],
      ['undefined custom field', { name: 'Иван', customFields: { budget: 1 } }],
      ['custom field of a wrong type', { name: 'Иван', customFields: { window_count: 'три' } }],
      ['option not offered', { name: 'Иван', customFields: { house_type: 'tent' } }],
      ['bad owner id', { name: 'Иван', ownerId: 'nobody' }],
    ];
    for (const [what, body] of cases) {
      const response = await manager.post('/contacts', body);
      expect(response.status, what).toBe(400);
      expect(response.body.error.message, what).toEqual(expect.any(String));
    }
    const malformed = await rawPost('{"name": "Иван",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('bad_request');
    expect(await count()).toBe(before);
  });

  it('should word every validation message in the language the request accepts', async () => {
    const refusal = async (body: unknown, language?: string) => {
      const response = await fetch(`${api.baseUrl}/api/v1/contacts`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: manager.cookie!,
          'x-csrf-token': manager.csrfToken ?? '',
          ...(language ? { 'accept-language': language } : {}),
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as {
        error: { code: string; message: string; details: { path: string; message: string }[] };
      };
      expect(error.code).toBe('validation_failed');
      return { message: error.message, ...Object.fromEntries(error.details.map((d) => [d.path, d.message])) };
    };
    const before = await count();
    const wrong = { name: 42, tags: ['  '], phones: ['12-34'] };
    expect(await refusal(wrong, 'ru-RU,ru;q=0.9')).toEqual({
      message: 'В запросе есть неверные или неизвестные поля',
      name: 'Ожидается текст, а получено: число',
      'tags.0': 'Не может быть пустым',
      'phones.0': 'Неверный номер телефона: 12-34',
    });
    expect(await refusal({ tags: ['vip'] }, 'ru')).toEqual({
      message: 'В запросе есть неверные или неизвестные поля',
      '': 'У контакта должно быть имя, телефон, e-mail или идентификатор в канале',
    });
    const english = {
      message: 'The request has invalid or unknown fields',
      name: 'Invalid input: expected string, received number',
      'tags.0': 'Too small: expected string to have >=1 characters',
      'phones.0': 'Not a valid phone number: 12-34',
    };
    expect(await refusal(wrong, 'en-GB')).toEqual(english);
    expect(await refusal(wrong)).toEqual(english);
    expect(await refusal({ tags: ['vip'] }, 'en')).toMatchObject({
      '': 'A contact needs a name, a phone, an e-mail or a channel identity',
    });
    expect(await count()).toBe(before);
  });

  it('should list every custom field problem at once', async () => {
    const response = await manager.post('/contacts', {
      name: 'Иван',
      customFields: { window_count: 'три', house_type: 'tent' },
    });
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'customFields.window_count',
      'customFields.house_type',
    ]);
  });

  it('should store valid custom fields and clear one with null', async () => {
    const created = await manager.post('/contacts', {
      name: 'Иван',
      phones: [randomMobile()],
      customFields: { window_count: 3, house_type: 'frame' },
    });
    expect(created.status).toBe(201);
    expect(created.body.customFields).toEqual({ window_count: 3, house_type: 'frame' });
    const patched = await manager.patch(`/contacts/${created.body.id}`, { customFields: { window_count: null } });
    expect(patched.body.customFields).toEqual({ house_type: 'frame' });
  });

  it('should reject a malformed id and a patch with unknown fields without writing', async () => {
    const created = await manager.post('/contacts', { name: 'Пётр' });
    expect((await manager.get('/contacts/not-an-id')).status).toBe(400);
    const patched = await manager.patch(`/contacts/${created.body.id}`, { name: 'Павел', status: 'deleted' });
    expect(patched.status).toBe(400);
    expect((await manager.get(`/contacts/${created.body.id}`)).body.name).toBe('Пётр');
  });
});
