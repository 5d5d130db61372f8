import { forbidden } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { userModels } from '../users/user-models.js';
import { activityReport } from './activity-report.js';
import { botReport } from './bot-report.js';
import { campaignsReport } from './campaigns-report.js';
import { funnelReport } from './funnel-report.js';
import { paybackReport } from './payback-report.js';
import type { Period, ReportDefinition, ReportFilters, ReportId, ReportView } from './report-definition.js';
import { REPORT_IDS } from './report-definition.js';
import { previousPeriod } from './report-periods.js';
import { responsesReport } from './responses-report.js';
import { sourcesReport } from './sources-report.js';
import { stageTimeReport } from './stage-time-report.js';

export const REPORTS: Record<ReportId, ReportDefinition> = {
  funnel: funnelReport,
  'stage-time': stageTimeReport,
  responses: responsesReport,
  bot: botReport,
  sources: sourcesReport,
  campaigns: campaignsReport,
  activity: activityReport,
  payback: paybackReport,
};

/** The reports a user may open, in the order of the Reports page's tabs. */
export function reportsFor(user: Pick<AuthUser, 'role'>): ReportDefinition[] {
  return REPORT_IDS.map((id) => REPORTS[id]).filter((report) => report.roles.includes(user.role));
}

/** A user's time zone (their account's), for the days of a report. */
export async function userTimeZone(services: Pick<ApiServices, 'db'>, userId: string): Promise<string> {
  const account = await userModels(services.db).User.findById(userId, { timeZone: 1 }).lean();
  return account?.timeZone ?? 'Europe/Moscow';
}

/** The filters a user's report runs with: an operator's are narrowed to their own work. */
export function scopedFilters(user: Pick<AuthUser, 'id' | 'role'>, filters: ReportFilters): ReportFilters {
  return user.role === 'operator' ? { ...filters, operatorId: user.id } : filters;
}

/**
 * Computes one report for a user: refused (403) when the report is not for their role, and an
 * operator's figures are always their own, whichever operator the filters name. The previous
 * period is the one of equal length right before. Used by the routes, the digest and the bench.
 */
export async function computeReport(
  services: ApiServices,
  user: AuthUser,
  id: ReportId,
  filters: ReportFilters,
  options: { timeZone?: string; previous?: Period } = {},
): Promise<ReportView> {
  const report = REPORTS[id];
  if (!report.roles.includes(user.role)) {
    throw forbidden(errorTexts.sayWith('reportNotForRole', { report: report.title, role: user.role }));
  }
  const scoped = scopedFilters(user, filters);
  const timeZone = options.timeZone ?? (await userTimeZone(services, user.id));
  return report.compute({
    services,
    user,
    filters: scoped,
    previous: options.previous ?? previousPeriod(scoped),
    timeZone,
  });
}
