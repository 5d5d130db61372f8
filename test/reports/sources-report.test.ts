import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactModels } from '../../server/contacts/contact-models.js';
import type { ReportView } from '../../server/reports/report-definition.js';
import { sourcesReport } from '../../server/reports/sources-report.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { insertDeals, msk, pipelines, PERIOD, reportContext, rowOf } from './report-fixtures.js';

describe('sourcesReport', () => {
  let api: TestApi;
  let view: ReportView;

  beforeAll(async () => {
    api = await startTestApi();
    const all = await pipelines(api);
    const owner = api.users.manager.id;
    const { Contact } = contactModels(api.db);
    const contact = async (fields: Record<string, unknown>) => {
      const _id = new Types.ObjectId();
      await Contact.collection.insertOne({ _id, name: `Client ${_id}`, status: 'active', ...fields });
      return _id;
    };
    const yandex = await contact({
      source: 'Яндекс.Директ',
      utm: { source: 'yandex', campaign: 'okna' },
      region: 'Москва',
    });
    const avito = await contact({
      source: 'Авито',
      utm: { source: 'avito', campaign: 'pvh' },
      region: 'Тульская область',
    });
    const bare = await contact({});
    const d = (day: number) => msk(`2025-03-${String(day).padStart(2, '0')}`);
    const wonPath = (day: number): [string, Date, Date?][] => [
      ['data-collection', d(day), d(day + 1)],
      ['won', d(day + 1)],
    ];
    await insertDeals(api.db, all, [
      { ownerId: owner, contactId: yandex, status: 'won', amount: 100_000, visits: wonPath(1) },
      { ownerId: owner, contactId: yandex, visits: [['data-collection', d(2)]] },
      {
        ownerId: owner,
        contactId: avito,
        visits: [
          ['data-collection', d(3), d(4)],
          ['proposal-sent', d(4)],
        ],
      },
      {
        ownerId: owner,
        contactId: bare,
        source: 'form:Замер',
        status: 'lost',
        visits: [
          ['data-collection', d(3), d(4)],
          ['proposal-sent', d(4), d(5)],
          ['lost', d(5)],
        ],
      },
      { ownerId: owner, visits: [['data-collection', d(6)]] },
      { ownerId: owner, contactId: avito, status: 'won', amount: 50_000, visits: wonPath(7) },
      // The previous period: one lead from Avito.
      { ownerId: owner, contactId: avito, visits: [['data-collection', msk('2025-02-20')]] },
    ]);
    view = await sourcesReport.compute(reportContext(api, api.users.marketer));
  });
  afterAll(async () => {
    await api?.close();
  });

  it("should give leads, qualified, won and revenue per source: the deal's own, else its contact's", () => {
    expect(rowOf(view.table, 'Яндекс.Директ')).toEqual({
      source: 'Яндекс.Директ',
      leads: 2,
      qualified: 1,
      won: 1,
      conversion: 50,
      revenue: 100_000,
    });
    expect(rowOf(view.table, 'Авито')).toEqual({
      source: 'Авито',
      leads: 2,
      qualified: 2,
      won: 1,
      conversion: 50,
      revenue: 50_000,
    });
    expect(rowOf(view.table, 'form:Замер')).toMatchObject({ leads: 1, qualified: 1, won: 0, revenue: 0 });
    expect(rowOf(view.table, '—')).toMatchObject({ leads: 1, qualified: 0, won: 0 });
    expect(view.table.rows.map((row) => row.source).slice(0, 2)).toEqual(['Яндекс.Директ', 'Авито']);
  });

  it('should total the period and compare it with the previous one', () => {
    const headline = Object.fromEntries(view.headline.map((item) => [item.key, [item.value, item.previous]]));
    expect(headline).toEqual({ leads: [6, 1], qualified: [4, 0], won: [2, 0], revenue: [150_000, 0] });
  });

  it('should break the leads down by UTM campaign and by region', () => {
    const [campaigns, regions] = view.extraTables!;
    expect(campaigns!.table.rows).toEqual([
      { campaign: 'yandex / okna', leads: 2, qualified: 1, won: 1, conversion: 50, revenue: 100_000 },
      { campaign: 'avito / pvh', leads: 2, qualified: 2, won: 1, conversion: 50, revenue: 50_000 },
    ]);
    expect(rowOf(regions!.table, 'Москва')).toMatchObject({ leads: 2 });
    expect(rowOf(regions!.table, 'Тульская область')).toMatchObject({ leads: 2, revenue: 50_000 });
    expect(rowOf(regions!.table, '—')).toMatchObject({ leads: 2 });
  });

  it("should keep to one source when filtered by it, the contact's UTM source included", async () => {
    const filtered = await sourcesReport.compute(
      reportContext(api, api.users.marketer, { ...PERIOD, source: 'avito' }),
    );
    expect(filtered.table.rows).toEqual([
      { source: 'Авито', leads: 2, qualified: 2, won: 1, conversion: 50, revenue: 50_000 },
    ]);
  });

  it("should show a client's region as it is now, though the days of their deals were kept", async () => {
    const { Contact } = contactModels(api.db);
    const bare = await Contact.findOne({ region: { $exists: false }, source: { $exists: false } }).lean();
    // As the API writes it: through the model, the id as text (any update of the model counts).
    await Contact.findOneAndUpdate(
      { _id: String(bare!._id), status: 'active' },
      { $set: { region: 'Калужская область' } },
    );
    const after = await sourcesReport.compute(reportContext(api, api.users.marketer));
    const regions = after.extraTables!.find((table) => table.key === 'regions')!.table;
    // Of the two without a region, one is this client's; the other deal has no client.
    expect(rowOf(regions, 'Калужская область')).toMatchObject({ leads: 1 });
    expect(rowOf(regions, '—')).toMatchObject({ leads: 1 });
  });
});
