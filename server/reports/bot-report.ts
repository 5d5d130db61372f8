import { botConversations, type BotConversation } from './events/bot-outcomes.js';
import type { LocalText, ReportContext, ReportDefinition, ReportView } from './report-definition.js';
import { percent } from './report-math.js';
import { figure, viewPeriods } from './report-view-parts.js';

const OUTCOMES = ['qualified', 'handedOff', 'booked'] as const;
type Outcome = (typeof OUTCOMES)[number];

const LABELS: Record<Outcome | 'started', LocalText> = {
  started: { ru: 'Новых разговоров с ботом', en: 'New conversations with the bot' },
  qualified: { ru: 'Квалифицировано ботом', en: 'Qualified by the bot' },
  handedOff: { ru: 'Передано человеку', en: 'Handed to a person' },
  booked: { ru: 'Записано на консультацию', en: 'Consultation booked' },
};
const SHARE_LABELS: Record<Outcome, LocalText> = {
  qualified: { ru: 'Доля квалифицированных', en: 'Qualified share' },
  handedOff: { ru: 'Доля переданных человеку', en: 'Handed-off share' },
  booked: { ru: 'Доля записанных', en: 'Booked share' },
};

interface Tally {
  started: number;
  qualified: number;
  handedOff: number;
  booked: number;
}

function tally(conversations: readonly BotConversation[]): Tally {
  return {
    started: conversations.length,
    qualified: conversations.filter((row) => row.qualified).length,
    handedOff: conversations.filter((row) => row.handedOff).length,
    booked: conversations.filter((row) => row.booked).length,
  };
}

async function computeBot(context: ReportContext): Promise<ReportView> {
  const { db } = context.services;
  const now = new Date();
  const [current, before] = await Promise.all([
    botConversations(db, context.filters, context.filters, context.timeZone, now),
    botConversations(db, context.previous, context.filters, context.timeZone, now),
  ]);
  const total = tally(current);
  const previous = tally(before);
  const channels = [...new Set(current.map((row) => row.channel))].sort();
  const perChannel = channels.map((channel) => ({
    channel,
    ...tally(current.filter((row) => row.channel === channel)),
  }));
  const rowOf = ({ channel, ...counts }: Tally & { channel: string }) => ({
    channel,
    started: counts.started,
    ...Object.fromEntries(
      OUTCOMES.flatMap((outcome) => [
        [outcome, counts[outcome]],
        [`${outcome}Share`, percent(counts[outcome], counts.started)],
      ]),
    ),
  });
  return {
    report: 'bot',
    ...viewPeriods(context),
    headline: [
      figure('started', LABELS.started, 'count', total.started, previous.started),
      ...OUTCOMES.map((outcome) =>
        figure(
          `${outcome}Share`,
          SHARE_LABELS[outcome],
          'percent',
          percent(total[outcome], total.started),
          percent(previous[outcome], previous.started),
        ),
      ),
    ],
    chart: {
      kind: 'bar',
      labels: channels,
      series: OUTCOMES.map((outcome) => ({
        key: `${outcome}Share`,
        label: SHARE_LABELS[outcome],
        unit: 'percent' as const,
        values: perChannel.map((row) => percent(row[outcome], row.started)),
      })),
    },
    table: {
      columns: [
        { key: 'channel', label: { ru: 'Канал', en: 'Channel' }, unit: 'text' },
        { key: 'started', label: LABELS.started, unit: 'count' },
        ...OUTCOMES.flatMap((outcome) => [
          { key: outcome, label: LABELS[outcome], unit: 'count' as const },
          { key: `${outcome}Share`, label: SHARE_LABELS[outcome], unit: 'percent' as const },
        ]),
      ],
      rows: [...perChannel.map(rowOf), rowOf({ channel: 'Σ', ...total })],
    },
  };
}

/**
 * Bot effectiveness: of the new conversations the front-door bot took in the period (its leads),
 * the share it qualified, handed to a person and booked a consultation for, per channel.
 */
export const botReport: ReportDefinition = {
  id: 'bot',
  title: { ru: 'Эффективность бота', en: 'Bot effectiveness' },
  roles: ['admin', 'manager', 'marketer'],
  compute: computeBot,
};
