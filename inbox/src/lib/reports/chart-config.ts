import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import { formatFigure } from './format-figure.js';
import type { FigureUnit, LocalText, ReportChart } from './report-views.js';

/** The series' colours: the brand blue and violet first (styles/tokens.css), then distinct hues. */
export const SERIES_COLOURS = ['#1f6feb', '#6d4aff', '#12a594', '#f59e0b', '#e5484d', '#8792a2'] as const;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A category as the chart's axis shows it: a day as «1 нояб.» / "Nov 1", anything else as it came. */
export function categoryLabel(label: string, locale: string): string {
  const match = DAY.exec(label);
  if (!match) return label;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

/** The previous period drawn beside this one: grey, so this period's bars stay the ones read. */
const PREVIOUS_COLOUR = '#cdd5df';

function colourOf(key: string, index: number): string {
  if (key === 'previous') return PREVIOUS_COLOUR;
  return SERIES_COLOURS[index % SERIES_COLOURS.length] ?? SERIES_COLOURS[0];
}

/** A colour with transparency, for a line's area and a funnel's later stages. */
function withAlpha(hex: string, alpha: number): string {
  const alphaHex = Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0');
  return `${hex}${alphaHex}`;
}

/** Steps a time axis reads well in: 10 s, 1 min, 5 min, 15 min, 1 h, 6 h, 1 day… */
const DURATION_STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** The tick step of a time axis up to `largest` seconds: a round duration giving at most eight ticks. */
export function durationStep(largest: number): number {
  const step = DURATION_STEPS.find((candidate) => largest / candidate <= 8);
  return step ?? Math.ceil(largest / 8 / 86_400) * 86_400;
}

/**
 * The Chart.js configuration of a report's chart. A funnel is a horizontal bar per stage, paler
 * as it narrows; bars and stacked bars are grouped by category; a line is a day series. Series in
 * a second unit (a conversion percent beside counts) get their own axis on the right.
 */
export function chartConfig(
  chart: ReportChart,
  locale: 'ru' | 'en',
  label: (text: LocalText) => string,
  reducedMotion = false,
  onDrawn?: () => void,
): ChartConfiguration<'bar' | 'line'> {
  const horizontal = chart.kind === 'funnel';
  const stacked = chart.kind === 'stacked-bar';
  const units = [...new Set(chart.series.map((series) => series.unit))];
  const mainUnit: FigureUnit = units[0] ?? 'count';
  const secondUnit = units[1];
  const valueAxis = horizontal ? 'x' : 'y';
  // A horizontal funnel keeps one value axis; a bar or line chart puts a second unit on the right.
  const rightAxis = Boolean(secondUnit) && !horizontal;

  const datasets = chart.series.map((series, index): ChartDataset<'bar' | 'line'> => {
    const colour = colourOf(series.key, index);
    const axis = rightAxis && series.unit !== mainUnit ? 'y1' : valueAxis;
    // A copy: Chart.js patches the arrays it is given to watch them, and the view is shared.
    const common = { label: label(series.label), data: [...series.values], [`${valueAxis}AxisID`]: axis };
    if (chart.kind === 'line') {
      return {
        ...common,
        type: 'line',
        borderColor: colour,
        backgroundColor: withAlpha(colour, 0.12),
        fill: chart.series.length === 1,
        tension: 0.3,
        pointRadius: chart.labels.length > 45 ? 0 : 2.5,
        borderWidth: 2,
        spanGaps: true,
      };
    }
    const funnelShades =
      horizontal && chart.series.length === 1
        ? chart.labels.map((_, stage) =>
            withAlpha(colour, Math.max(0.35, 1 - stage * (0.6 / Math.max(1, chart.labels.length - 1)))),
          )
        : undefined;
    return {
      ...common,
      type: 'bar',
      backgroundColor: funnelShades ?? colour,
      borderRadius: 4,
      maxBarThickness: horizontal ? 28 : 36,
      ...(stacked ? { stack: 'all' } : {}),
    };
  });

  const unitOfDataset = (index: number): FigureUnit => chart.series[index]?.unit ?? mainUnit;
  const largest = (unit: FigureUnit) =>
    Math.max(
      0,
      ...chart.series
        .filter((series) => series.unit === unit)
        .flatMap((series) => series.values.map(Number))
        .filter(Number.isFinite),
    );
  const ticks = (unit: FigureUnit) => ({
    callback: (value: string | number) => formatFigure(Number(value), unit, locale),
    ...(unit === 'seconds' ? { stepSize: durationStep(largest(unit)) } : {}),
  });

  return {
    type: chart.kind === 'line' ? 'line' : 'bar',
    data: { labels: chart.labels.map((category) => categoryLabel(category, locale)), datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      // onDrawn: the bars have grown to their values (the page's tests and screenshots wait for it).
      animation: { duration: reducedMotion ? 0 : 400, ...(onDrawn ? { onComplete: onDrawn } : {}) },
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: chart.series.length > 1, position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar' | 'line'>) =>
              `${item.dataset.label ?? ''}: ${formatFigure(item.raw as number | null, unitOfDataset(item.datasetIndex), locale)}`,
          },
        },
      },
      scales: {
        [horizontal ? 'y' : 'x']: { stacked, grid: { display: false } },
        [valueAxis]: { stacked, beginAtZero: true, ticks: ticks(mainUnit) },
        ...(rightAxis && secondUnit
          ? { y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ticks: ticks(secondUnit) } }
          : {}),
      },
    },
  };
}
