import { z } from 'zod';
import { badRequest } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { decodeCursor, listQuerySchema, pageOf } from '../api/pagination.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { auditModels } from './audit-models.js';

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const auditQuerySchema = listQuerySchema.omit({ q: true }).extend({
  entity: z.string().trim().min(1).max(64).optional(),
  entityId: z.string().trim().min(1).max(64).optional(),
  actor: objectIdSchema.optional(),
  action: z.string().trim().min(1).max(64).optional(),
  /** From this instant on (a date means its start, UTC). */
  from: instant.optional(),
  /** Before this instant (a date means its start, UTC: `to=2025-01-02` ends with 1 January). */
  to: instant.optional(),
});

const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  changes: z.array(z.string()).optional(),
  meta: z.unknown().optional(),
});

export const auditRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/audit',
    summary: 'The audit log, newest first: filter by entity, record, actor, action and time range',
    tag: 'Audit',
    access: 'audit.read',
    query: auditQuerySchema,
    response: z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().optional() }),
    async handler({ query, services }) {
      const after = decodeCursor(query.cursor);
      const from = query.from ? new Date(query.from) : undefined;
      const to = query.to ? new Date(query.to) : undefined;
      if (from && to && from >= to) throw badRequest(errorTexts.say('auditOrder'));
      const rows = await auditModels(services.db)
        .AuditLog.find({
          ...(after ? { _id: { $lt: after } } : {}),
          ...(query.entity ? { entity: query.entity } : {}),
          ...(query.entityId ? { entityId: query.entityId } : {}),
          ...(query.actor ? { actorId: query.actor } : {}),
          ...(query.action ? { action: query.action } : {}),
          ...(from || to ? { at: { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) } } : {}),
        })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean();
      const items = rows.map((row) => ({
        id: row._id.toHexString(),
        at: row.at.toISOString(),
        actor: row.actorId ? { id: row.actorId.toHexString(), name: row.actorName } : null,
        action: row.action,
        entity: row.entity,
        ...(row.entityId ? { entityId: row.entityId } : {}),
        ...(row.before === undefined ? {} : { before: row.before }),
        ...(row.after === undefined ? {} : { after: row.after }),
        ...(row.changes ? { changes: row.changes } : {}),
        ...(row.meta === undefined ? {} : { meta: row.meta }),
      }));
      return pageOf(items, query.limit);
    },
  }),
];
