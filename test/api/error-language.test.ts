import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/auth/permissions.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, TEST_PASSWORD, type ApiClient, type ApiResponse, type TestApi } from './api-harness.js';
import { randomMobile } from './contacts-test-data.js';
import { newMember, newTeamWithChannel, visitorWrites } from './inbox-fixture.js';

const RUSSIAN = { headers: { 'accept-language': 'ru-RU,ru;q=0.9' } };
const NO_SUCH_ID = '0123456789abcdef01234567';

/** What a refusal says to the client: its code, its message and the message of each listed problem by path. */
function refusal(response: ApiResponse) {
  const { code, message, details } = response.body.error;
  const problems: Record<string, string> = Array.isArray(details)
    ? Object.fromEntries(details.map((problem: { path: string; message: string }) => [problem.path, problem.message]))
    : {};
  return { status: response.status, language: response.headers.get('content-language'), code, message, problems };
}

describe("handlers' refusals in the request's language", () => {
  let api: TestApi;
  /** A Russian reader's client and a script's (no Accept-Language), signed in as the same role. */
  const clients = async (role: Role): Promise<{ ru: ApiClient; en: ApiClient }> => ({
    ru: await api.as(role, RUSSIAN),
    en: await api.as(role),
  });

  beforeAll(async () => {
    api = await startTestApi();
    // An inbound lead goes to the default leads pipeline.
    await ensureDefaultPipelines(api.db);
    const admin = await api.as('admin');
    const created = await admin.post('/custom-fields', {
      entity: 'contact',
      key: 'rooms',
      label: { ru: 'Комнат' },
      type: 'number',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });
  afterAll(() => api?.close());

  it('should word custom field problems on a contact in Russian, and in English without the header', async () => {
    const { ru, en } = await clients('manager');
    const body = { name: 'Иван', customFields: { rooms: 'три', balcony: true } };
    expect(refusal(await ru.post('/contacts', body))).toEqual({
      status: 400,
      language: 'ru',
      code: 'validation_failed',
      message: 'В запросе есть неверные или неизвестные поля',
      problems: {
        'customFields.rooms': '«rooms»: нужно число',
        'customFields.balcony': 'У контакта нет поля «balcony»',
      },
    });
    expect(refusal(await en.post('/contacts', body))).toEqual({
      status: 400,
      language: 'en',
      code: 'validation_failed',
      message: 'The request has invalid or unknown fields',
      problems: {
        'customFields.rooms': "'rooms' must be a number",
        'customFields.balcony': "No contact field 'balcony' is defined",
      },
    });
  });

  it("should word what is wrong with a form's targets", async () => {
    const { ru, en } = await clients('admin');
    const form = {
      name: `Заявка ${randomBytes(3).toString('hex')}`,
      fields: [
        { key: 'phone', label: { ru: 'Телефон' }, type: 'phone', mapTo: { type: 'contact-phone' } },
        { key: 'city', label: { ru: 'Город' }, type: 'text', mapTo: { type: 'contact-custom', key: 'city' } },
      ],
      pipelineId: NO_SUCH_ID,
      thankYou: { ru: 'Спасибо!', en: 'Thank you!' },
      allowedOrigins: ['https://ecodom.example'],
    };
    expect(refusal(await ru.post('/forms', form)).problems).toEqual({
      pipelineId: 'Такой воронки нет',
      'fields.1.mapTo': 'У контакта нет дополнительного поля «city»',
    });
    expect(refusal(await en.post('/forms', form)).problems).toEqual({
      pipelineId: 'There is no such pipeline',
      'fields.1.mapTo': "There is no contact custom field 'city'",
    });
  });

  it('should word the refusals of an inbound lead', async () => {
    const { ru, en } = await clients('operator');
    const stageWithoutPipeline = { partner: 'Выставка', phone: randomMobile(), stageId: 'new' };
    expect(refusal(await ru.post('/leads', stageWithoutPipeline))).toMatchObject({
      status: 400,
      code: 'bad_request',
      message: 'Для stageId нужен pipelineId его воронки',
    });
    expect(refusal(await en.post('/leads', stageWithoutPipeline)).message).toBe('A stageId needs its pipelineId');

    const unknownField = { partner: 'Выставка', phone: randomMobile(), customFields: { deal: { floors: 2 } } };
    expect(refusal(await ru.post('/leads', unknownField)).problems).toEqual({
      'customFields.floors': 'У сделки нет поля «floors»',
    });
    expect(refusal(await en.post('/leads', unknownField)).problems).toEqual({
      'customFields.floors': "No deal field 'floors' is defined",
    });
  });

  it("should word an operator's refused conversation action", async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const en = await newMember(api, 'operator', [teamId]);
    const ru = await api.login(en.user!.email, TEST_PASSWORD, RUSSIAN);
    const colleague = await api.createUser({ role: 'operator', teamIds: [teamId] });
    const { conversation } = await visitorWrites(api, channelId, 'Есть ли дома из бруса?');
    const handOver = { assigneeId: colleague.id };
    expect(refusal(await ru.patch(`/conversations/${conversation.id}`, handOver))).toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'Передать разговор другому может только менеджер или администратор (право conversations.reassign)',
    });
    expect(refusal(await en.patch(`/conversations/${conversation.id}`, handOver)).message).toBe(
      'Giving a conversation to someone else needs the conversations.reassign permission',
    );
  });

  it('should name a missing deal in Russian with its own gender', async () => {
    const { ru, en } = await clients('manager');
    expect(refusal(await ru.get(`/deals/${NO_SUCH_ID}`))).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'Сделка не найдена',
    });
    expect(refusal(await en.get(`/deals/${NO_SUCH_ID}`)).message).toBe('Deal not found');
  });

  it('should answer a text that used to carry both languages in one of them', async () => {
    const { ru, en } = await clients('admin');
    const leaving = await api.createUser({ role: 'operator' });
    const handOver = { to: { teamId: NO_SUCH_ID } };
    expect(refusal(await ru.post(`/users/${leaving.id}/deactivate`, handOver)).message).toBe('Такой команды нет');
    expect(refusal(await en.post(`/users/${leaving.id}/deactivate`, handOver)).message).toBe('The team does not exist');
  });

  it("should word the router's own refusals, a body that is not JSON", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${api.baseUrl}/api/v1/contacts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"name": "Иван",',
      }).then(async (response) => ({
        language: response.headers.get('content-language'),
        body: await response.json(),
      }));
    expect(await post(RUSSIAN.headers)).toEqual({
      language: 'ru',
      body: { error: { code: 'bad_request', message: 'Тело запроса — некорректный JSON' } },
    });
    expect(await post({})).toEqual({
      language: 'en',
      body: { error: { code: 'bad_request', message: 'The body is not valid JSON' } },
    });
  });
});
