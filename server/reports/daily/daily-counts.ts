import type { Connection, Types } from 'mongoose';
import type { Period } from '../report-definition.js';
import { daysOf } from '../report-periods.js';
import { reportDayModel, type DayCount } from './report-day-model.js';

/**
 * A day is kept once it is this long over: what happened just before midnight may be written a
 * moment after it (a reply's event follows its send).
 */
const SETTLE_MS = 10 * 60_000;

/**
 * Something counted per day, read from the records themselves: per user and channel counts, or
 * richer rows (a report's groups with the values it takes medians of) that a report merges over
 * the days of its period.
 */
export interface DailyMeasure<Row = DayCount> {
  id: string;
  /** The rows of the records in a stretch of time. */
  count(db: Connection, period: Period): Promise<Row[]>;
  /**
   * The rows of several days in one read, one list per day, for a measure whose records the
   * store cannot read a day at a time by index (a range on an array's field bounds one side only).
   */
  countEach?(db: Connection, days: readonly Period[]): Promise<Row[][]>;
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
 * A measure's rows of settled days: those kept already as they are, the others counted from
 * the records and kept.
 */
export async function keptCounts<Row>(
  db: Connection,
  measure: DailyMeasure<Row>,
  settled: Day[],
  timeZone: string,
  now: Date,
): Promise<Row[][]> {
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
      fresh.map(({ day, from, to, counts }) => ({
        replaceOne: {
          filter: { _id: idOf(day) },
          replacement: { _id: idOf(day), measure: measure.id, timeZone, day, from, to, counts, countedAt: now },
          upsert: true,
        },
      })),
    );
  }
  return [...kept.map((record) => record.counts as Row[]), ...fresh.map((day) => day.counts)];
}

/**
 * A measure's rows over a period: each closed day wholly inside it from its kept rows (counted
 * once from the records, then kept), the rest (the day still going, a part of a day at either
 * end of a period that does not start at midnight) from the records. Rows keep what happened
 * that day as it was counted: a task reopened later still counts as done that day.
 */
export async function rowsOver<Row>(
  db: Connection,
  measure: DailyMeasure<Row>,
  period: Period,
  timeZone: string,
  now: Date = new Date(),
): Promise<Row[]> {
  const whole = splitDays(period, timeZone, now).settled.filter(
    (day) => day.from >= period.from && day.to <= period.to,
  );
  const first = whole[0];
  const last = whole.at(-1);
  const live: Period[] =
    first && last
      ? [
          { from: period.from, to: first.from },
          { from: last.to, to: period.to < now ? period.to : now },
        ]
      : [{ from: period.from, to: period.to < now ? period.to : now }];
  const [kept, ...counted] = await Promise.all([
    keptCounts(db, measure, whole, timeZone, now),
    ...live.filter((part) => part.from < part.to).map((part) => measure.count(db, part)),
  ]);
  return [...kept.flat(), ...counted.flat()];
}

/** A measure of counts over a period, per user (see rowsOver). */
export async function countsOver(
  db: Connection,
  measure: DailyMeasure,
  period: Period,
  timeZone: string,
  filter: { users: readonly Types.ObjectId[]; channel?: string },
  now: Date = new Date(),
): Promise<CountsByUser> {
  const users = new Set(filter.users.map(String));
  const totals: CountsByUser = new Map();
  for (const count of await rowsOver(db, measure, period, timeZone, now)) {
    if (!count.userId || !users.has(String(count.userId))) continue;
    if (filter.channel && count.channel !== filter.channel) continue;
    totals.set(String(count.userId), (totals.get(String(count.userId)) ?? 0) + count.count);
  }
  return totals;
}

/**
 * Counts days one by one, unless the whole stretch holds nothing (a new workspace, days before
 * the first client): then one question answers for all of them. A measure that counts several
 * days at once does so.
 */
async function countDays<Row>(
  db: Connection,
  measure: DailyMeasure<Row>,
  days: Day[],
): Promise<(Day & { counts: Row[] })[]> {
  if (days.length === 0) return [];
  if (measure.countEach) {
    const rows = await measure.countEach(db, days);
    return days.map((day, index) => ({ ...day, counts: rows[index] ?? [] }));
  }
  if (days.length > 1 && (await measure.count(db, { from: days[0]!.from, to: days.at(-1)!.to })).length === 0) {
    return days.map((day) => ({ ...day, counts: [] }));
  }
  const counted: (Day & { counts: Row[] })[] = [];
  for (const day of days) counted.push({ ...day, counts: await measure.count(db, day) });
  return counted;
}

/** Forgets a measure's kept days: records of the past were written (a backfill), so they are counted again. */
export async function forgetKeptDays(db: Connection, measureId: string): Promise<void> {
  await reportDayModel(db).deleteMany({ measure: measureId });
}

/** How long after a change its days are forgotten again: a report counting one of them meanwhile may have kept it as it was. */
const FORGET_AGAIN_MS = 5_000;

/**
 * Forgets a measure's kept days (in every time zone) that hold any of these moments: records of
 * those moments changed (a deal of that day's cohort moved on), so the days are counted again
 * when next read. Forgotten once more a few seconds later, in case a report was counting a day as
 * it changed.
 */
export async function forgetKeptDaysAt(db: Connection, measureId: string, moments: readonly Date[]): Promise<void> {
  if (moments.length === 0) return;
  const forget = () =>
    reportDayModel(db).deleteMany({
      measure: measureId,
      $or: moments.map((moment) => ({ from: { $lte: moment }, to: { $gt: moment } })),
    });
  await forget();
  setTimeout(() => void forget().catch(() => undefined), FORGET_AGAIN_MS).unref();
}

/** Forgets every kept day: the past was written in bulk (the demo seed). */
export async function forgetAllKeptDays(db: Connection): Promise<void> {
  await reportDayModel(db).deleteMany({});
}
