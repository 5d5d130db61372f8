import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { newMember, newTeamWithChannel, visitorWrites } from './inbox-fixture.js';

const shortcuts = async (client: ApiClient, q: string) =>
  (await client.get(`/canned-responses?q=${encodeURIComponent(q)}`)).body.items.map(
    (item: { shortcut: string; visibility: string }) => `${item.visibility}:${item.shortcut}`,
  );

describe('canned responses', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterAll(async () => {
    await api?.close();
  });

  it("should show personal ones to their owner, team ones to the team and everyone's to all", async () => {
    const x = await newTeamWithChannel(api);
    const y = await newTeamWithChannel(api);
    const ofX = await newMember(api, 'operator', [x.teamId]);
    const alsoOfX = await newMember(api, 'operator', [x.teamId]);
    const ofY = await newMember(api, 'operator', [y.teamId]);
    const tag = randomBytes(3).toString('hex');

    const personal = await ofX.post('/canned-responses', { shortcut: `${tag}-price`, text: 'Цены на сайте' });
    expect(personal.status, JSON.stringify(personal.body)).toBe(201);
    expect(personal.body).toMatchObject({ visibility: 'personal', text: { ru: 'Цены на сайте', en: 'Цены на сайте' } });
    expect((await alsoOfX.post('/canned-responses', { shortcut: `${tag}-price`, text: 'Мои цены' })).status).toBe(201);
    expect((await ofX.post('/canned-responses', { shortcut: `${tag}-PRICE`, text: 'Ещё раз' })).status).toBe(409);

    const teamOne = { shortcut: `${tag}-hello`, text: { ru: 'Здравствуйте!', en: 'Hello!' }, visibility: 'team' };
    expect((await ofX.post('/canned-responses', { ...teamOne, teamId: x.teamId })).status).toBe(403);
    expect((await ofX.post('/canned-responses', { ...teamOne, visibility: 'everyone' })).status).toBe(403);
    expect((await manager.post('/canned-responses', teamOne)).status).toBe(400);
    const shared = await manager.post('/canned-responses', { ...teamOne, teamId: x.teamId });
    expect(shared.status).toBe(201);
    const everyone = await manager.post('/canned-responses', {
      shortcut: `${tag}-bye`,
      text: 'До свидания!',
      visibility: 'everyone',
    });
    expect(everyone.status).toBe(201);

    expect((await shortcuts(ofX, tag)).sort()).toEqual(
      [`everyone:${tag}-bye`, `personal:${tag}-price`, `team:${tag}-hello`].sort(),
    );
    expect((await shortcuts(alsoOfX, tag)).sort()).toEqual(
      [`everyone:${tag}-bye`, `personal:${tag}-price`, `team:${tag}-hello`].sort(),
    );
    expect(await shortcuts(ofY, tag)).toEqual([`everyone:${tag}-bye`]);
    expect((await shortcuts(manager, tag)).sort()).toEqual([`everyone:${tag}-bye`, `team:${tag}-hello`].sort());

    // Changing: one's own personal ones; shared ones only with canned.manage; others' personal ones do not exist.
    expect((await ofX.patch(`/canned-responses/${personal.body.id}`, { text: 'Цены — в прайсе' })).body.text.ru).toBe(
      'Цены — в прайсе',
    );
    expect((await alsoOfX.patch(`/canned-responses/${personal.body.id}`, { text: 'взлом' })).status).toBe(404);
    expect((await ofX.patch(`/canned-responses/${shared.body.id}`, { text: 'взлом' })).status).toBe(403);
    expect((await ofX.delete(`/canned-responses/${everyone.body.id}`)).status).toBe(403);
    expect((await ofY.delete(`/canned-responses/${shared.body.id}`)).status).toBe(404);
    expect((await manager.patch(`/canned-responses/${shared.body.id}`, { text: { ru: 'Добрый день!' } })).status).toBe(
      200,
    );
    expect((await ofX.delete(`/canned-responses/${personal.body.id}`)).status).toBe(204);
    expect(await shortcuts(ofX, `${tag}-price`)).toEqual([]);
    expect((await (await api.as('marketer')).get('/canned-responses')).status).toBe(403);
  });

  it('should render the variables for a conversation in the requested language', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const { conversation } = await visitorWrites(api, channelId, 'Добрый вечер');
    const canned = await operator.post('/canned-responses', {
      shortcut: `hi-${randomBytes(3).toString('hex')}`,
      text: {
        ru: 'Здравствуйте, {{contact.name}}! Меня зовут {{ agent.name }}. {{deal.stage}}',
        en: 'Hello {{contact.name}}, this is {{agent.name}}.',
      },
    });
    const render = (language?: string) =>
      operator.post(`/canned-responses/${canned.body.id}/render`, {
        conversationId: conversation.id,
        ...(language ? { language } : {}),
      });
    expect((await render()).body).toEqual({
      language: 'ru',
      text: `Здравствуйте, Посетитель сайта! Меня зовут ${operator.user!.name}. {{deal.stage}}`,
    });
    expect((await render('en')).body.text).toBe(`Hello Посетитель сайта, this is ${operator.user!.name}.`);
    const outsider = await newMember(api, 'operator', []);
    expect(
      (await outsider.post(`/canned-responses/${canned.body.id}/render`, { conversationId: conversation.id })).status,
    ).toBe(404);
  });
});
