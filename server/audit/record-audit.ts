import type { ApiServices } from '../api/api-services.js';
import { auditModels } from './audit-models.js';

export interface AuditEntry {
  /** The user (an AuthUser fits) or null for the system: automations, imports, the seed. */
  actor: { id: string; name: string } | null;
  /** `<entity>.<verb>`, e.g. 'contact.update', 'deal.move', 'export.create'. */
  action: string;
  /** The kind of record, e.g. 'contact', 'deal', 'user'. */
  entity: string;
  entityId?: string;
  /** The record as the API shows it, before and after the change (omit for creations / deletions). */
  before?: unknown;
  after?: unknown;
  /** Anything else worth keeping: an export's filter and row count, a merge's source ids. */
  meta?: Record<string, unknown>;
}

// Secrets must not be copied into a log that managers read, whatever a caller passes in. Secrets
// are strings; a flag such as `passwordChanged: true` is kept.
const SECRET_KEY = /password|secret|token|hash/i;

function plain(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(value, (key, inner: unknown) =>
      typeof inner === 'string' && SECRET_KEY.test(key) ? '[redacted]' : inner,
    ),
  );
}

function changedFields(before: unknown, after: unknown): string[] | undefined {
  if (typeof before !== 'object' || typeof after !== 'object' || !before || !after) return undefined;
  const left = before as Record<string, unknown>;
  const right = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].filter((key) => JSON.stringify(left[key]) !== JSON.stringify(right[key])).sort();
}

/**
 * Appends one entry to the audit log. Call it after the change is written (the store has no
 * multi-document transactions, so a failure here leaves the change in place and the error
 * reaches the caller rather than being swallowed).
 */
export async function recordAudit(services: Pick<ApiServices, 'db'>, entry: AuditEntry): Promise<void> {
  const before = plain(entry.before);
  const after = plain(entry.after);
  await auditModels(services.db).AuditLog.create({
    at: new Date(),
    actorId: entry.actor?.id,
    actorName: entry.actor?.name ?? '',
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before,
    after,
    changes: changedFields(before, after),
    meta: plain(entry.meta),
  });
}
