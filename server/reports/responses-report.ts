import { Types, type Connection } from 'mongoose';
import { conversationModel } from '../messaging/conversation-model.js';
import { userModels } from '../users/user-models.js';
import { responseBreakdown, type ResponseFigures } from './events/response-groups.js';
import type {
  FigureUnit,
  ReportColumn,
  ReportContext,
  ReportDefinition,
  ReportFilters,
  ReportTable,
  ReportView,
} from './report-definition.js';
import { userNames } from './report-scope.js';
import { figure, viewPeriods } from './report-view-parts.js';

const FIGURE_COLUMNS: (ReportColumn & { key: keyof ResponseFigures; unit: FigureUnit })[] = [
  { key: 'firstResponseMedian', label: { ru: 'Первый ответ, медиана', en: 'First response, median' }, unit: 'seconds' },
  {
    key: 'firstResponseP90',
    label: { ru: 'Первый ответ, 90-й перцентиль', en: 'First response, p90' },
    unit: 'seconds',
  },
  {
    key: 'firstResponseAverage',
    label: { ru: 'Первый ответ, среднее', en: 'First response, average' },
    unit: 'seconds',
  },
  { key: 'withinSla', label: { ru: 'Ответ в срок (SLA)', en: 'Answered within SLA' }, unit: 'percent' },
  { key: 'resolutionMedian', label: { ru: 'Решение, медиана', en: 'Resolution, median' }, unit: 'seconds' },
  { key: 'resolutionP90', label: { ru: 'Решение, 90-й перцентиль', en: 'Resolution, p90' }, unit: 'seconds' },
  { key: 'resolutionAverage', label: { ru: 'Решение, среднее', en: 'Resolution, average' }, unit: 'seconds' },
  { key: 'handled', label: { ru: 'Разговоров в работе', en: 'Conversations handled' }, unit: 'count' },
  { key: 'messagesSent', label: { ru: 'Отправлено сообщений', en: 'Messages sent' }, unit: 'count' },
];
const OPEN_COLUMN: ReportColumn = { key: 'openNow', label: { ru: 'Открыто сейчас', en: 'Open now' }, unit: 'count' };

/** The headline: these columns' totals, under the same names. */
const HEADLINE_KEYS: (keyof ResponseFigures)[] = [
  'firstResponseMedian',
  'withinSla',
  'resolutionMedian',
  'handled',
  'messagesSent',
];
const columnOf = (key: keyof ResponseFigures) => FIGURE_COLUMNS.find((column) => column.key === key)!;

/**
 * The open conversations each person has right now (not of the period): the load they carry.
 * The {assigneeId, status} index serves one operator; everyone's reads the open ones by status.
 */
async function openLoad(db: Connection, filters: ReportFilters): Promise<Map<string, number>> {
  const rows = await conversationModel(db).aggregate<{ _id: Types.ObjectId | null; open: number }>([
    {
      $match: {
        ...(filters.operatorId ? { assigneeId: new Types.ObjectId(filters.operatorId) } : {}),
        status: 'open',
        ...(filters.channel ? { channel: filters.channel } : {}),
        ...(filters.teamId ? { teamIds: new Types.ObjectId(filters.teamId) } : {}),
      },
    },
    { $group: { _id: '$assigneeId', open: { $sum: 1 } } },
  ]);
  return new Map(rows.filter((row) => row._id).map((row) => [String(row._id), row.open]));
}

async function teamNames(db: Connection, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const teams = await userModels(db)
    .Team.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { name: 1 })
    .lean();
  return new Map(teams.map((team) => [String(team._id), team.name]));
}

function tableOf(
  first: ReportColumn,
  rows: { name: string; figures: ResponseFigures; openNow?: number }[],
  withOpen: boolean,
): ReportTable {
  return {
    columns: [first, ...FIGURE_COLUMNS, ...(withOpen ? [OPEN_COLUMN] : [])],
    rows: rows.map(({ name, figures, openNow }) => ({
      [first.key]: name,
      ...figures,
      ...(withOpen ? { openNow: openNow ?? 0 } : {}),
    })),
  };
}

async function computeResponses(context: ReportContext): Promise<ReportView> {
  const { db } = context.services;
  const { filters } = context;
  const now = new Date();
  const [current, before, open] = await Promise.all([
    responseBreakdown(db, filters, filters, context.timeZone, now),
    responseBreakdown(db, context.previous, filters, context.timeZone, now),
    openLoad(db, filters),
  ]);
  const operatorIds = [...new Set([...current.by.operator.keys(), ...open.keys()])];
  const [names, teams] = await Promise.all([userNames(db, operatorIds), teamNames(db, [...current.by.team.keys()])]);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const operators = operatorIds
    .map((id) => ({
      name: names.get(id) ?? id,
      figures: current.by.operator.get(id) ?? EMPTY,
      openNow: open.get(id) ?? 0,
    }))
    .sort(byName);
  const channels = [...current.by.channel].map(([name, figures]) => ({ name, figures })).sort(byName);
  const teamRows = [...current.by.team].map(([id, figures]) => ({ name: teams.get(id) ?? id, figures })).sort(byName);
  return {
    report: 'responses',
    ...viewPeriods(context),
    headline: HEADLINE_KEYS.map((key) => {
      const { label, unit } = columnOf(key);
      return figure(key, label, unit, current.total[key], before.total[key]);
    }),
    chart: {
      kind: 'bar',
      labels: operators.map((row) => row.name),
      series: (['firstResponseMedian', 'firstResponseP90'] as const).map((key) => ({
        key,
        label: columnOf(key).label,
        unit: 'seconds' as const,
        values: operators.map((row) => row.figures[key]),
      })),
    },
    table: tableOf({ key: 'operator', label: { ru: 'Сотрудник', en: 'Operator' }, unit: 'text' }, operators, true),
    extraTables: [
      {
        key: 'channels',
        title: { ru: 'По каналам', en: 'By channel' },
        table: tableOf({ key: 'channel', label: { ru: 'Канал', en: 'Channel' }, unit: 'text' }, channels, false),
      },
      {
        key: 'teams',
        title: { ru: 'По командам', en: 'By team' },
        table: tableOf({ key: 'team', label: { ru: 'Команда', en: 'Team' }, unit: 'text' }, teamRows, false),
      },
    ],
  };
}

const EMPTY: ResponseFigures = {
  firstResponseMedian: null,
  firstResponseP90: null,
  firstResponseAverage: null,
  withinSla: null,
  resolutionMedian: null,
  resolutionP90: null,
  resolutionAverage: null,
  handled: 0,
  messagesSent: 0,
};

/**
 * Response times (Chatwoot's agent and inbox reports): how long clients waited for a person's
 * first answer and for the conversation to be resolved (median, p90, average), the share of first
 * answers within the SLA, conversations handled and messages sent, per operator (with the open
 * conversations each has right now), channel and team. Read from report_events.
 */
export const responsesReport: ReportDefinition = {
  id: 'responses',
  title: { ru: 'Скорость ответа', en: 'Response times' },
  roles: ['admin', 'manager', 'operator'],
  compute: computeResponses,
};
