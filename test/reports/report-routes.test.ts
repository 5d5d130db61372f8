import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicUser } from '../../server/users/user-schemas.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { insertDeals, msk, pipelines } from './report-fixtures.js';

const PERIOD_QUERY = 'from=2025-03-01&to=2025-03-10';

describe('report routes', () => {
  let api: TestApi;
  let operator: ApiClient;
  let manager: ApiClient;
  let marketer: ApiClient;
  let admin: ApiClient;
  let otherOperator: PublicUser;

  beforeAll(async () => {
    api = await startTestApi();
    const all = await pipelines(api);
    otherOperator = await api.createUser({ role: 'operator', name: 'Other operator' });
    const newDeal = (ownerId: string, day: string) => ({
      ownerId,
      visits: [['data-collection', msk(day)]] as [string, Date][],
    });
    await insertDeals(api.db, all, [
      newDeal(api.users.operator.id, '2025-03-02'),
      newDeal(otherOperator.id, '2025-03-03'),
      newDeal(otherOperator.id, '2025-03-04'),
      newDeal(api.users.manager.id, '2025-03-05'),
    ]);
    [operator, manager, marketer, admin] = await Promise.all([
      api.as('operator'),
      api.as('manager'),
      api.as('marketer'),
      api.as('admin'),
    ]);
  });
  afterAll(async () => {
    await api?.close();
  });

  const leads = (body: { headline: { key: string; value: number }[] }) =>
    body.headline.find((item) => item.key === 'leads')?.value;

  it('should list the reports each role may open', async () => {
    const ids = async (client: ApiClient) =>
      (await client.get('/reports')).body.reports.map((report: { id: string }) => report.id);
    expect(await ids(operator)).toEqual(['funnel', 'stage-time', 'responses', 'activity']);
    expect(await ids(marketer)).toEqual(['funnel', 'bot', 'sources', 'campaigns']);
    expect(await ids(manager)).toEqual([
      'funnel',
      'stage-time',
      'responses',
      'bot',
      'sources',
      'campaigns',
      'activity',
      'payback',
    ]);
  });

  it('should show managers every operator and operators only their own figures, whatever they ask for', async () => {
    expect(leads((await manager.get(`/reports/funnel?${PERIOD_QUERY}`)).body)).toBe(4);
    expect(leads((await manager.get(`/reports/funnel?${PERIOD_QUERY}&operatorId=${otherOperator.id}`)).body)).toBe(2);
    expect(leads((await operator.get(`/reports/funnel?${PERIOD_QUERY}`)).body)).toBe(1);
    const asked = await operator.get(`/reports/funnel?${PERIOD_QUERY}&operatorId=${otherOperator.id}`);
    expect(asked.status).toBe(200);
    expect(leads(asked.body)).toBe(1);
    const activity = await operator.get(`/reports/activity?${PERIOD_QUERY}&operatorId=${otherOperator.id}`);
    expect(activity.body.table.rows.map((row: { user: string }) => row.user)).toEqual(['Test operator']);
  });

  it('should refuse a report outside the role with 403 and an unknown one with 404', async () => {
    const refused = await marketer.get(`/reports/activity?${PERIOD_QUERY}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Manager activity.*marketer/);
    expect((await operator.get('/reports/payback')).status).toBe(403);
    expect((await manager.get('/reports/weather')).status).toBe(404);
  });

  it('should answer bad periods with 400 and a message that says what is wrong', async () => {
    const bad = async (query: string) => {
      const response = await manager.get(`/reports/funnel?${query}`);
      expect(response.status).toBe(400);
      return JSON.stringify(response.body.error);
    };
    expect(await bad('from=2025-02-30&to=2025-03-10')).toMatch(/2025-02-30/);
    expect(await bad('from=2025-03-10&to=2025-03-01')).toMatch(/after it ends/);
    expect(await bad('from=2023-01-01&to=2025-03-01')).toMatch(/at most 366 days/);
    expect(await bad('from=1.03.2025')).toMatch(/YYYY-MM-DD/);
    expect(await bad('operatorId=nobody')).toMatch(/operatorId/);
  });

  it('should let only admins change the settings and show payback costs only to admins and managers', async () => {
    const settings = {
      slaMinutes: 10,
      payback: { oneTimeCost: 1_350_000, yearlyCost: 400_000, currency: 'RUB', monthlyGainOverride: 255_000 },
    };
    expect((await manager.put('/reports/settings', settings)).status).toBe(403);
    const saved = await admin.put('/reports/settings', settings);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(settings);
    expect((await manager.get('/reports/settings')).body).toEqual(settings);
    expect((await operator.get('/reports/settings')).body).toEqual({ slaMinutes: 10 });
    expect((await admin.put('/reports/settings', { ...settings, slaMinutes: 0 })).status).toBe(400);
    const payback = await manager.get('/reports/payback');
    const headline = Object.fromEntries(
      payback.body.headline.map((item: { key: string; value: number }) => [item.key, item.value]),
    );
    expect(headline).toEqual({ paybackYears: 0.57, paybackMonths: 6.8, monthlyGain: 255_000 });
  });
});
