import { describe, expect, it } from 'vitest';
import { dayOf, periodProblem, presetOf, presetRange } from '../../inbox/src/lib/reports/period-presets.js';
import { reportExportUrl, reportUrl } from '../../inbox/src/lib/reports/read-report.js';
import { sourcesIn } from '../../inbox/src/lib/reports/report-options.js';
import { filtersQuery, parseFilters, reportHref, reportRoute } from '../../inbox/src/lib/reports/report-route.js';

describe('reports route', () => {
  it('should give back the same report and filters from the address it makes', () => {
    const route = {
      report: 'sources' as const,
      filters: {
        from: '2026-10-28',
        to: '2026-11-26',
        pipelineId: '665f1c2e9b1d8a0012345678',
        teamId: 'team-1',
        operatorId: 'user-7',
        channel: 'telegram',
        // A source with every character a query string treats specially, and Cyrillic.
        source: 'Яндекс.Директ & VK/cpc = 100%',
      },
    };
    const href = reportHref(route);
    expect(href.startsWith('#/reports/sources?from=2026-10-28&to=2026-11-26&pipelineId=')).toBe(true);
    expect(reportRoute(href)).toEqual(route);
    // As the browser hands it back in location.hash, Cyrillic percent-encoded.
    expect(reportRoute(new URL(`http://inbox.local/${href}`).hash)).toEqual(route);
  });

  it('should open the first tab with the default period for a bare address', () => {
    expect(reportRoute('#/reports')).toEqual({ filters: {} });
    expect(reportHref({ filters: {} })).toBe('#/reports');
    expect(reportRoute('#/reports/no-such-report?from=2026-11-01')).toEqual({ filters: { from: '2026-11-01' } });
  });

  it('should leave out malformed days and empty filters rather than send them to be refused', () => {
    expect(parseFilters('from=2026-02-30&to=26.11.2026&channel=&source=%20')).toEqual({});
    expect(filtersQuery({ from: '2026-11-01', channel: '', teamId: undefined })).toBe('from=2026-11-01');
  });

  it('should ask the API with the same query the address carries', () => {
    const filters = { from: '2026-11-01', to: '2026-11-26', channel: 'vk' };
    expect(reportUrl('funnel', filters)).toBe('/api/v1/reports/funnel?from=2026-11-01&to=2026-11-26&channel=vk');
    expect(reportExportUrl('funnel', filters, 'xlsx', 'en')).toBe(
      '/api/v1/reports/funnel/export?format=xlsx&lang=en&from=2026-11-01&to=2026-11-26&channel=vk',
    );
    expect(reportUrl('payback', {})).toBe('/api/v1/reports/payback');
  });
});

describe('report period presets', () => {
  const today = new Date(2026, 10, 27, 9, 30);

  it('should count a preset in days ending today', () => {
    expect(dayOf(today)).toBe('2026-11-27');
    expect(presetRange('7d', today)).toEqual({ from: '2026-11-21', to: '2026-11-27' });
    expect(presetRange('30d', today)).toEqual({ from: '2026-10-29', to: '2026-11-27' });
    expect(presetRange('90d', today)).toEqual({ from: '2026-08-30', to: '2026-11-27' });
    expect(presetRange('month', today)).toEqual({ from: '2026-11-01', to: '2026-11-27' });
  });

  it('should recognise a preset from its days and call other days custom', () => {
    expect(presetOf({}, today)).toBe('30d');
    expect(presetOf({ from: '2026-11-21', to: '2026-11-27' }, today)).toBe('7d');
    expect(presetOf({ from: '2026-11-01', to: '2026-11-27' }, today)).toBe('month');
    expect(presetOf({ from: '2026-11-01', to: '2026-11-20' }, today)).toBe('custom');
  });

  it('should refuse a period that ends before it starts or is longer than a leap year', () => {
    expect(periodProblem({ from: '2026-11-27', to: '2026-11-01' })).toBe('order');
    // Inclusive days: 2025-11-27 … 2026-11-27 is 366 of them, the most; one more is too many.
    expect(periodProblem({ from: '2025-11-26', to: '2026-11-27' })).toBe('length');
    expect(periodProblem({ from: '2025-11-27', to: '2026-11-27' })).toBeUndefined();
    expect(periodProblem({ from: '2026-11-27', to: '2026-11-27' })).toBeUndefined();
  });
});

describe('report source options', () => {
  it('should offer the sources a sources table names, without the row of deals that have none', () => {
    const table = {
      columns: [
        { key: 'source', label: { ru: 'Источник', en: 'Source' }, unit: 'text' as const },
        { key: 'leads', label: { ru: 'Лиды', en: 'Leads' }, unit: 'count' as const },
      ],
      rows: [
        { source: 'Яндекс.Директ', leads: 11 },
        { source: 'Сарафанное радио', leads: 4 },
        { source: '—', leads: 2 },
      ],
    };
    expect(sourcesIn(table)).toEqual(['Яндекс.Директ', 'Сарафанное радио']);
    expect(sourcesIn({ columns: [table.columns[1]!], rows: [{ leads: 3 }] })).toEqual([]);
  });
});
