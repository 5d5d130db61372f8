import { z } from 'zod';
import type { FlowDefinitionRecord } from './flow-definition-model.js';
import type { FlowRunRecord } from './flow-run-model.js';

export const flowSummarySchema = z.object({
  id: z.string(),
  name: z.object({ ru: z.string(), en: z.string().optional() }),
  enabled: z.boolean(),
  version: z.number().int(),
  versions: z.array(z.number().int()),
  /** Stored versions passed the validator when they were stored. */
  valid: z.boolean(),
  updatedAt: z.string(),
});
export type FlowSummary = z.infer<typeof flowSummarySchema>;

export const flowRunViewSchema = z.object({
  id: z.string(),
  flowId: z.string(),
  flowVersion: z.number().int(),
  status: z.string(),
  exitReason: z.string().optional(),
  contactId: z.string(),
  dealId: z.string().optional(),
  cursor: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  history: z.array(
    z.object({
      step: z.string(),
      at: z.string(),
      result: z.string(),
      code: z.string().optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
  skipped: z.array(
    z.object({
      step: z.string(),
      effect: z.string(),
      reason: z.string(),
      code: z.string().optional(),
      params: z.record(z.string(), z.string()).optional(),
      at: z.string(),
    }),
  ),
  pendingWaits: z.array(z.object({ id: z.string(), step: z.string(), kind: z.string(), at: z.string() })),
});
export type FlowRunView = z.infer<typeof flowRunViewSchema>;

/** One flow with all its stored versions, newest first. */
export function toFlowSummary(versions: FlowDefinitionRecord[]): FlowSummary {
  const [latest] = versions;
  if (!latest) throw new Error('A flow summary needs at least one version');
  return {
    id: latest.flowId,
    name: latest.definition.name,
    enabled: latest.enabled,
    version: latest.version,
    versions: versions.map((record) => record.version),
    valid: true,
    updatedAt: latest.updatedAt.toISOString(),
  };
}

export function toFlowRunView(run: FlowRunRecord): FlowRunView {
  const { state } = run;
  return {
    id: run._id,
    flowId: run.flowId,
    flowVersion: run.flowVersion,
    status: state.status,
    ...(state.exitReason ? { exitReason: state.exitReason } : {}),
    contactId: run.contactId,
    ...(run.dealId ? { dealId: run.dealId } : {}),
    cursor: state.cursor,
    startedAt: state.startedAt,
    ...(state.endedAt ? { endedAt: state.endedAt } : {}),
    history: state.history,
    skipped: run.skipped.map((entry) => ({
      step: entry.stepId,
      effect: entry.type,
      reason: entry.reason,
      ...(entry.code ? { code: entry.code } : {}),
      ...(entry.params ? { params: entry.params } : {}),
      at: new Date(entry.at).toISOString(),
    })),
    pendingWaits: state.waits.map((wait) => ({ id: wait.id, step: wait.stepId, kind: wait.kind, at: wait.at })),
  };
}
