import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactModels } from '../../server/contacts/contact-models.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { DEMO_PASSWORD } from '../../server/demo/demo-accounts.js';
import { pipelineModel } from '../../server/pipelines/pipeline-model.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';

interface Figure {
  key: string;
  value: number | null;
}

/** The demo manager opens the Reports page: the numbers must be the ones the records hold. */
describe('reports on the demo workspace', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi({ demoData: true });
    manager = await api.login('manager@demo.local', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await api?.close();
  });

  const headline = (body: { headline: Figure[] }) =>
    Object.fromEntries(body.headline.map((item) => [item.key, item.value]));

  it('should show the funnel of the deals created in the last 30 days, as the deals say', async () => {
    const response = await manager.get('/reports/funnel');
    expect(response.status).toBe(200);
    const Deal = await dealModel(api.db);
    const sales = await (await pipelineModel(api.db)).findOne({ systemKey: 'sales' }).lean();
    const from = new Date(`${response.body.period.from}T00:00:00+03:00`);
    const deals = await Deal.find({ createdAt: { $gte: from }, 'stageHistory.pipelineId': sales!._id }).lean();
    expect(deals.length).toBeGreaterThan(5);
    expect(headline(response.body)).toMatchObject({
      leads: deals.length,
      won: deals.filter((deal) => deal.status === 'won').length,
      lost: deals.filter((deal) => deal.status === 'lost').length,
    });
    const reachedProposal = deals.filter((deal) =>
      deal.stageHistory.some((visit) => visit.stageId !== 'data-collection' && visit.stageId !== 'lost'),
    ).length;
    expect(response.body.chart.series[0].values[1]).toBe(reachedProposal);
  });

  it('should show the sources of those deals from their contacts', async () => {
    const response = await manager.get('/reports/sources');
    expect(response.status).toBe(200);
    const funnel = await manager.get('/reports/funnel');
    const rows: { source: string; leads: number }[] = response.body.table.rows;
    expect(rows.reduce((sum, row) => sum + row.leads, 0)).toBe(headline(funnel.body).leads);
    const { Contact } = contactModels(api.db);
    const labels = new Set((await Contact.find({}, { source: 1 }).lean()).map((contact) => contact.source));
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(labels.has(row.source)).toBe(true);
    expect(response.body.extraTables[1].table.rows.some((row: { region: string }) => row.region === 'Москва')).toBe(
      true,
    );
  });

  it('should show time in stages and the sales cycle of the won demo deals', async () => {
    const response = await manager.get('/reports/stage-time');
    expect(response.status).toBe(200);
    expect(headline(response.body).wonDeals).toBeGreaterThan(0);
    expect(response.body.table.rows[0].stays).toBeGreaterThan(0);
  });
});
