import { describe, expect, it } from 'vitest';
import { categoryLabel, chartConfig, durationStep } from '../../inbox/src/lib/reports/chart-config.js';
import type { ReportChart } from '../../inbox/src/lib/reports/report-views.js';

const ru = (text: { ru: string }) => text.ru;

describe('report chart configuration', () => {
  it('should draw a funnel as horizontal bars, this period in colour and the previous one grey', () => {
    const funnel: ReportChart = {
      kind: 'funnel',
      labels: ['Новая заявка', 'Замер', 'Договор'],
      series: [
        { key: 'reached', label: { ru: 'Дошли до этапа', en: 'Reached' }, unit: 'count', values: [40, 25, 10] },
        { key: 'previous', label: { ru: 'Предыдущий период', en: 'Previous' }, unit: 'count', values: [30, 20, 5] },
      ],
    };
    const config = chartConfig(funnel, 'ru', ru, true);
    expect(config.type).toBe('bar');
    expect(config.options?.indexAxis).toBe('y');
    expect(config.data.labels).toEqual(['Новая заявка', 'Замер', 'Договор']);
    expect(config.data.datasets.map((dataset) => [dataset.label, dataset.backgroundColor])).toEqual([
      ['Дошли до этапа', '#1f6feb'],
      ['Предыдущий период', '#cdd5df'],
    ]);
    expect(config.options?.plugins?.legend?.display).toBe(true);
  });

  it('should put a second unit on its own axis and name days in the reader language', () => {
    const daily: ReportChart = {
      kind: 'line',
      labels: ['2026-11-01', '2026-11-02'],
      series: [
        { key: 'conversations', label: { ru: 'Диалоги', en: 'Conversations' }, unit: 'count', values: [12, 9] },
        { key: 'withinSla', label: { ru: 'В срок, %', en: 'Within SLA, %' }, unit: 'percent', values: [80, null] },
      ],
    };
    const config = chartConfig(daily, 'ru', ru, true);
    expect(config.type).toBe('line');
    expect(config.data.datasets.map((dataset) => ('yAxisID' in dataset ? dataset.yAxisID : undefined))).toEqual([
      'y',
      'y1',
    ]);
    expect(Object.keys(config.options?.scales ?? {})).toEqual(['x', 'y', 'y1']);
    expect(config.data.labels).toEqual([categoryLabel('2026-11-01', 'ru'), categoryLabel('2026-11-02', 'ru')]);
    expect(categoryLabel('2026-11-01', 'en')).toBe('Nov 1');
    expect(categoryLabel('Яндекс.Директ', 'ru')).toBe('Яндекс.Директ');
  });
});

describe('time axis steps', () => {
  it('should step a time axis in round durations, at most eight ticks', () => {
    expect(durationStep(45)).toBe(10);
    expect(durationStep(5400)).toBe(900);
    expect(durationStep(7 * 86_400)).toBe(86_400);
    expect(durationStep(30 * 86_400)).toBe(4 * 86_400);
  });
});
