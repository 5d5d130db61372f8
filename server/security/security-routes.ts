import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { decodeCursor, pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { securityAlertModels } from './security-alert-models.js';
import { securityAlertListQuerySchema, securityAlertViewSchema } from './security-alert-schemas.js';
import { toSecurityAlertView } from './to-security-alert-view.js';

const TAG = 'Security';

/** Alerts for admins (security.read): who read unusually many contact cards, and whether it was reviewed. */
export const securityRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/security/alerts',
    summary: 'Security alerts, newest first; filter by acknowledged and user',
    tag: TAG,
    access: 'security.read',
    query: securityAlertListQuerySchema,
    response: z.object({ items: z.array(securityAlertViewSchema), nextCursor: z.string().optional() }),
    async handler({ query, services }) {
      const after = decodeCursor(query.cursor);
      const rows = await securityAlertModels(services.db)
        .SecurityAlert.find({
          ...(after ? { _id: { $lt: after } } : {}),
          ...(query.acknowledged ? { acknowledged: query.acknowledged === 'true' } : {}),
          ...(query.userId ? { userId: query.userId } : {}),
        })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean();
      return pageOf(rows.map(toSecurityAlertView), query.limit);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/security/alerts/:id/ack',
    summary: 'Mark an alert as reviewed (a locked account stays locked: reactivate it through /users); safe to retry',
    tag: TAG,
    access: 'security.read',
    params: z.strictObject({ id: objectIdSchema }),
    body: z.strictObject({}),
    response: securityAlertViewSchema,
    async handler({ params, user, services }) {
      const { SecurityAlert } = securityAlertModels(services.db);
      const before = await SecurityAlert.findById(params.id).lean();
      if (!before) throw notFound('Alert');
      if (before.acknowledged) return toSecurityAlertView(before);
      // Only the first acknowledgement lands, so a retry keeps who reviewed it and when.
      const acknowledged = await SecurityAlert.findOneAndUpdate(
        { _id: before._id, acknowledged: false },
        {
          $set: {
            acknowledged: true,
            acknowledgedAt: new Date(),
            acknowledgedById: user.id,
            acknowledgedByName: user.name,
          },
        },
        { returnDocument: 'after' },
      ).lean();
      const after = acknowledged ?? (await SecurityAlert.findById(params.id).lean());
      if (!after) throw notFound('Alert');
      if (acknowledged) {
        await recordAudit(services, {
          actor: user,
          action: 'security-alert.ack',
          entity: 'security-alert',
          entityId: params.id,
          before: toSecurityAlertView(before),
          after: toSecurityAlertView(after),
        });
      }
      return toSecurityAlertView(after);
    },
  }),
];
