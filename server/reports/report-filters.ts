import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';
import { objectIdSchema } from '../users/user-schemas.js';
import type { ReportFilters } from './report-definition.js';
import { resolvePeriod, type ResolvedPeriod } from './report-periods.js';

const { say } = validationTexts;

const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, say('day'));

/** The query of a report (and of its export): the period as days in the user's time zone, then the filters. */
export const reportQueryShape = {
  from: daySchema.optional(),
  to: daySchema.optional(),
  pipelineId: objectIdSchema.optional(),
  teamId: objectIdSchema.optional(),
  operatorId: objectIdSchema.optional(),
  channel: z.string().min(1).max(50).optional(),
  source: z.string().min(1).max(200).optional(),
};
export const reportQuerySchema = z.strictObject(reportQueryShape);
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const reportExportQuerySchema = z.strictObject({
  ...reportQueryShape,
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  lang: z.enum(['ru', 'en']).default('ru'),
});
export type ReportExportQuery = z.infer<typeof reportExportQuerySchema>;

/** A parsed query as the filters reports take, with the previous period it compares against. */
export function toReportFilters(
  query: ReportQuery,
  timeZone: string,
  now: Date = new Date(),
): { filters: ReportFilters; resolved: ResolvedPeriod } {
  const resolved = resolvePeriod(query, timeZone, now);
  const filters: ReportFilters = {
    ...resolved.period,
    ...(query.pipelineId ? { pipelineId: query.pipelineId } : {}),
    ...(query.teamId ? { teamId: query.teamId } : {}),
    ...(query.operatorId ? { operatorId: query.operatorId } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.source ? { source: query.source } : {}),
  };
  return { filters, resolved };
}
