import type { Connection, Types } from 'mongoose';
import type { Period } from '../report-definition.js';
import { daysOf } from '../report-periods.js';
import { reportDayModel, type DayCount } from './report-day-model.js';

/**
 * A day is kept once it is this long over: what happened just before midnight may be written a
 * moment after it (a reply's event follows its send).
 */
const SETTLE_MS = 10 * 60_000;

/** Something counted per day, per user and channel, read from the records themselves. */
export interface DailyMeasure {
  id: string;
  /** The counts of the records in a stretch of time, per user and channel. */
  count(db: Connection, period: Period): Promise<DayCount[]>;
}

/** A count per user id (hex). */
export type CountsByUser = Map<string, number>;

type Day = { day: string; from: Date; to: Date };

/** The days of a period in a time zone: those over (settled, kept once counted) and those still going. */
export function splitDays(period: Period, timeZone: string, now: Date): { settled: Day[]; open: Day[] } {
  const days = daysOf(period, timeZone);
  const settledBy = now.getTime() - SETTLE_MS;
  return {
    settled: days.filter((day) => day.to.getTime() <= settledBy),
    open: days.filter((day) => day.to.getTime() > settledBy && day.from < now),
  };
}

/**
 * A measure's counts of settled days: those kept already as they are, the others counted from
 * the records and kept.
 */
export async function keptCounts(
  db: Connection,
  measure: DailyMeasure,
  settled: Day[],
  timeZone: string,
  now: Date,
): Promise<DayCount[][]> {
  const ReportDay = reportDayModel(db);
  const idOf = (day: string) => `${measure.id}|${timeZone}|${day}`;
  const kept = await ReportDay.find({ _id: { $in: settled.map((day) => idOf(day.day)) } }, { counts: 1 }).lean();
  const keptIds = new Set(kept.map((record) => record._id));
  const fresh = await countDays(
    db,
    measure,
    settled.filter((one) => !keptIds.has(idOf(one.day))),
  );
  if (fresh.length > 0) {
    await ReportDay.bulkWrite(
      fresh.map(({ day, counts }) => ({
        replaceOne: {
          filter: { _id: idOf(day) },
          replacement: { _id: idOf(day), measure: measure.id, timeZone, day, counts, countedAt: now },
          upsert: true,
        },
      })),
    );
  }
  return [...kept.map((record) => record.counts), ...fresh.map((day) => day.counts)];
}

/**
 * A measure over a period of whole days, per user: each closed day from its kept counts (counted
 * once from the records, then kept), the day still going (today) from the records. Counts keep
 * what happened that day as it was counted: a task reopened later still counts as done that day.
 */
export async function countsOver(
  db: Connection,
  measure: DailyMeasure,
  period: Period,
  timeZone: string,
  filter: { users: readonly Types.ObjectId[]; channel?: string },
  now: Date = new Date(),
): Promise<CountsByUser> {
  const { settled, open } = splitDays(period, timeZone, now);
  const counted = await keptCounts(db, measure, settled, timeZone, now);
  if (open.length > 0) counted.push(await measure.count(db, { from: open[0]!.from, to: open.at(-1)!.to }));
  const users = new Set(filter.users.map(String));
  const totals: CountsByUser = new Map();
  for (const count of counted.flat()) {
    if (!count.userId || !users.has(String(count.userId))) continue;
    if (filter.channel && count.channel !== filter.channel) continue;
    totals.set(String(count.userId), (totals.get(String(count.userId)) ?? 0) + count.count);
  }
  return totals;
}

/**
 * Counts days one by one, unless the whole stretch holds nothing (a new workspace, days before
 * the first client): then one question answers for all of them.
 */
async function countDays(
  db: Connection,
  measure: DailyMeasure,
  days: Day[],
): Promise<{ day: string; counts: DayCount[] }[]> {
  if (days.length === 0) return [];
  if (days.length > 1 && (await measure.count(db, { from: days[0]!.from, to: days.at(-1)!.to })).length === 0) {
    return days.map(({ day }) => ({ day, counts: [] }));
  }
  const counted: { day: string; counts: DayCount[] }[] = [];
  for (const day of days) counted.push({ day: day.day, counts: await measure.count(db, day) });
  return counted;
}

/** Forgets a measure's kept days: records of the past were written (a backfill), so they are counted again. */
export async function forgetKeptDays(db: Connection, measureId: string): Promise<void> {
  await reportDayModel(db).deleteMany({ measure: measureId });
}

/** Forgets every kept day: the past was written in bulk (the demo seed). */
export async function forgetAllKeptDays(db: Connection): Promise<void> {
  await reportDayModel(db).deleteMany({});
}
