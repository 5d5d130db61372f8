import { listensFor, listTimedTriggers, type TimedTriggerSpec } from '../../flows/index.js';
import type { ApiServices } from '../api/api-services.js';
import { flowDefinitionModel, type FlowDefinitionRecord } from './flow-definition-model.js';
import { latestDefinitions, toDefinition } from './flow-definitions.js';
import { enqueueFlowEvent } from './flow-jobs.js';
import { FLOW_TIMER_ID, flowTimerModel } from './flow-timer-model.js';
import { appointmentEvents, noReplyEvents, overdueTaskEvents, recordDateEvents } from './record-flow-events.js';
import { installmentDateEvents, overduePaymentEvents, type TimerEvent } from './schedule-flow-events.js';

type ScanServices = Pick<ApiServices, 'db' | 'queues' | 'logger'>;

/**
 * After a long stop, moments older than this are not caught up: a reminder "tomorrow at 11:00"
 * sent two days late does more harm than good. Overdue payments and tasks stay overdue and are
 * still visible in their lists.
 */
const MAX_CATCH_UP_MS = 86_400_000;

export interface ScanResult {
  from?: Date;
  to: Date;
  events: number;
}

/**
 * The time-based triggers: one pass over the window (scannedUntil, now] of the stored watermark.
 * Each record whose moment falls in the window (an installment's due time, a task's, a date
 * field's moment, a meeting's reminder time, the end of a silence) becomes a flow event whose id
 * names the record, the trigger and the anchor's instant. The watermark moves on only after all
 * of them are queued, so a pass that dies is repeated, and a repeated event is absorbed by its id
 * (BullMQ keeps the job id a week; a run never starts twice for one event id, nor applies it twice).
 * A record changed before its moment is simply seen with its new time; one changed after it does
 * not fire again for the old time. The first pass only sets the watermark.
 */
export async function scanFlowTimers(services: ScanServices, now: Date = new Date()): Promise<ScanResult> {
  const Timer = await flowTimerModel(services.db);
  const mark = await Timer.findById(FLOW_TIMER_ID).lean();
  if (!mark) {
    await Timer.updateOne({ _id: FLOW_TIMER_ID }, { $setOnInsert: { scannedUntil: now } }, { upsert: true }).catch(
      (error: { code?: number }) => {
        if (error.code !== 11000) throw error;
      },
    );
    return { to: now, events: 0 };
  }
  if (mark.scannedUntil >= now) return { from: mark.scannedUntil, to: now, events: 0 };
  const from = new Date(Math.max(mark.scannedUntil.getTime(), now.getTime() - MAX_CATCH_UP_MS));
  const events = await collectEvents(services, from, now);
  for (const event of events) await enqueueFlowEvent(services.queues, event);
  // Conditional on the mark read: a concurrent pass that got further is not moved back.
  await Timer.updateOne({ _id: FLOW_TIMER_ID, scannedUntil: mark.scannedUntil }, { $set: { scannedUntil: now } });
  if (events.length > 0) services.logger.info({ from, to: now, events: events.length }, 'flow timers fired');
  return { from, to: now, events: events.length };
}

async function collectEvents(services: ScanServices, from: Date, to: Date): Promise<TimerEvent[]> {
  const { db } = services;
  const latest = (await latestDefinitions(db)).map(toDefinition);
  // Older versions may still have runs waiting for a timed event (waitFor); they count as switched off.
  const Definition = await flowDefinitionModel(db);
  const older = (await Definition.find({}).lean<FlowDefinitionRecord[]>())
    .map(toDefinition)
    .filter(
      (definition) =>
        !latest.some((candidate) => candidate.id === definition.id && candidate.version === definition.version),
    )
    .map((definition) => ({ ...definition, enabled: false }));
  const definitions = [...latest, ...older];
  const events: TimerEvent[] = [];
  if (listensFor(definitions, 'payment.overdue')) events.push(...(await overduePaymentEvents(db, from, to)));
  if (listensFor(definitions, 'task.overdue')) events.push(...(await overdueTaskEvents(db, from, to)));
  for (const spec of listTimedTriggers(definitions)) events.push(...(await specEvents(services, spec, from, to)));
  return events;
}

async function specEvents(services: ScanServices, spec: TimedTriggerSpec, from: Date, to: Date): Promise<TimerEvent[]> {
  const { db } = services;
  const { trigger } = spec;
  switch (trigger.type) {
    case 'noReply':
      return noReplyEvents(db, spec, from, to);
    case 'appointment.upcoming':
      return appointmentEvents(db, spec, from, to);
    case 'date': {
      const root = trigger.field.split('.')[0];
      const dateSpec = { ...spec, trigger };
      if (root === 'installment') return installmentDateEvents(db, dateSpec, from, to);
      if (root === 'appointment') return appointmentEvents(db, spec, from, to);
      return recordDateEvents(db, dateSpec, from, to);
    }
  }
}
