import { z } from 'zod';
import { ApiError } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { defineRoute, type AnyRoute, type AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { seesEverything } from '../auth/permissions.js';
import { sendExportFile } from '../exports/send-export-file.js';
import { REPORT_IDS, type ReportId } from './report-definition.js';
import { createReportExport } from './report-export.js';
import { reportExportQuerySchema, reportQuerySchema, toReportFilters, type ReportQuery } from './report-filters.js';
import { computeReport, REPORTS, reportsFor, scopedFilters, userTimeZone } from './report-registry.js';
import {
  readReportSettings,
  reportSettingsSchema,
  saveReportSettings,
  type ReportSettings,
} from './report-settings-model.js';

const reportParamsSchema = z.strictObject({ report: z.string().min(1).max(50) });

function reportIdOf(param: string): ReportId {
  const id = REPORT_IDS.find((candidate) => candidate === param);
  if (!id) throw new ApiError(404, 'not_found', errorTexts.sayWith('reportNotFound', { report: param }));
  return id;
}

/** Computes the report a request names for its user over the days its query names. */
async function reportFor(services: ApiServices, user: AuthUser, param: string, query: ReportQuery) {
  const id = reportIdOf(param);
  const timeZone = await userTimeZone(services, user.id);
  const { filters, resolved } = toReportFilters(query, timeZone);
  const view = await computeReport(services, user, id, filters, { timeZone, previous: resolved.previous });
  return { id, view, timeZone, filters: scopedFilters(user, filters) };
}

/** Payback costs are the company's business: only those who see every report see them. */
function settingsFor(user: AuthUser, settings: ReportSettings): Partial<ReportSettings> {
  return seesEverything(user.role) ? settings : { slaMinutes: settings.slaMinutes };
}

export const reportRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/reports',
    summary: 'The reports the signed-in user may open, in the order of the Reports page',
    tag: 'reports',
    access: 'reports.read',
    async handler({ user }) {
      return { reports: reportsFor(user).map((report) => ({ id: report.id, title: report.title })) };
    },
  }),
  // Before '/reports/:report', which would take "settings" for a report's name.
  defineRoute({
    method: 'get',
    path: '/reports/settings',
    summary: 'The SLA for first responses and, for admins and managers, the payback costs',
    tag: 'reports',
    access: 'reports.read',
    async handler({ user, services }) {
      return settingsFor(user, await readReportSettings(services.db));
    },
  }),
  defineRoute({
    method: 'put',
    path: '/reports/settings',
    summary: 'Saves the SLA and the payback costs (all of them); audited',
    tag: 'reports',
    access: 'settings.manage',
    body: reportSettingsSchema,
    async handler({ user, services, body }) {
      const before = await readReportSettings(services.db);
      const after = await saveReportSettings(services.db, body);
      await recordAudit(services, {
        actor: user,
        action: 'report-settings.update',
        entity: 'report-settings',
        before,
        after,
      });
      return after;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/reports/:report',
    summary:
      "One report over days of the user's time zone (from/to inclusive, the last 30 days by default) with the " +
      'previous period of equal length; operators always get their own figures',
    tag: 'reports',
    access: 'reports.read',
    params: reportParamsSchema,
    query: reportQuerySchema,
    async handler({ user, services, params, query }) {
      return (await reportFor(services, user, params.report, query)).view;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/reports/:report/export',
    summary:
      "A report's table (and its extra tables below it) as CSV or XLSX, headers in Russian unless lang=en; " +
      'written to the audit log with its filters and row count before it is sent',
    tag: 'reports',
    access: 'reports.read',
    params: reportParamsSchema,
    query: reportExportQuerySchema,
    async handler({ user, services, params, query, res }) {
      const { format, lang, ...filterQuery } = query;
      const { id, view, timeZone, filters } = await reportFor(services, user, params.report, filterQuery);
      const file = await createReportExport(services, user, view, {
        title: REPORTS[id].title[lang],
        format,
        lang,
        timeZone,
        filters: {
          ...filterQuery,
          ...(filters.operatorId ? { operatorId: filters.operatorId } : {}),
          period: view.period,
        },
      });
      return sendExportFile(res, file);
    },
  }),
];
