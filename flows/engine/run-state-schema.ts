import { z } from 'zod';
import { subjectSchema } from './flow-event-schema.js';
import { snapshotSchema } from './snapshot-schema.js';

/** Bumped when the shape below changes; the executor migrates stored runs (Typebot keeps the same habit). */
export const RUN_STATE_VERSION = 1;

const isoDate = z.iso.datetime({ offset: true });

export const WAIT_KINDS = ['delay', 'timeout', 'reminder', 'quiet-hours'] as const;

/** A timer the run waits for; `id` is deterministic and is the executor's job id. */
export const pendingWaitSchema = z.strictObject({
  id: z.string(),
  stepId: z.string(),
  kind: z.enum(WAIT_KINDS),
  at: isoDate,
});

export const historyEntrySchema = z.strictObject({
  step: z.string(),
  at: isoDate,
  /** What happened in English, e.g. "sent", "branch → big-budget", "waiting until 2025-03-05T10:00:00.000Z". */
  result: z.string(),
  /** The same as a code of history-notes.ts with its values, for the inbox to word in each language. */
  code: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const EXIT_REASONS = [
  'goal',
  'stage-left',
  'opted-out',
  'taken-over',
  'exit-condition',
  'left',
  're-enrolled',
  'step-limit',
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export const runStateSchema = z.strictObject({
  version: z.literal(RUN_STATE_VERSION),
  runId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Run ids are letters, digits, _ and - (they end up in job ids)'),
  flowId: z.string(),
  /** The definition version the run started on; it finishes on it. */
  flowVersion: z.number().int(),
  subject: subjectSchema,
  /** active: between steps; waiting: for a timer or an event; completed: ran out of steps; exited: stopped early. */
  status: z.enum(['active', 'waiting', 'completed', 'exited']),
  exitReason: z.enum(EXIT_REASONS).optional(),
  /** The goal met, when exitReason is "goal". */
  goalId: z.string().optional(),
  /** The step being executed or waited on; null once finished. */
  cursor: z.string().nullable(),
  /** The stage the run is tied to for `exit.stageLeft`; follows the flow's own moves. */
  stage: z.strictObject({ pipeline: z.string(), stage: z.string() }).optional(),
  vars: z.record(z.string(), z.unknown()),
  /** The last known records, refreshed by every event's snapshot and by the run's own changes. */
  context: snapshotSchema,
  /** The event that started or last moved the run on, readable as `event.*`. */
  event: z.record(z.string(), z.unknown()),
  /** Answers that did not fit, per ask step. */
  attempts: z.record(z.string(), z.number().int()),
  /** Counts ids handed out, so effect and wait ids are unique and the same on a replay. */
  seq: z.number().int().min(0),
  waits: z.array(pendingWaitSchema),
  history: z.array(historyEntrySchema),
  startedAt: isoDate,
  updatedAt: isoDate,
  endedAt: isoDate.optional(),
});

export type RunState = z.infer<typeof runStateSchema>;
export type PendingWait = z.infer<typeof pendingWaitSchema>;
export type WaitKind = (typeof WAIT_KINDS)[number];
