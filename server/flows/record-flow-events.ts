import type { Connection } from 'mongoose';
import type { TimedTrigger, TimedTriggerSpec } from '../../flows/index.js';
import { timedTriggerAnchorRange, timedTriggerFireAt } from '../../flows/index.js';
import { appointmentModel, type AppointmentRecord } from '../appointments/appointment-model.js';
import { contactModels } from '../contacts/contact-models.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { taskModel, type TaskRecord } from '../tasks/task-model.js';
import type { TimerEvent } from './schedule-flow-events.js';

/** More candidates than this in one window means something is off; the rest wait for the next scan. */
const BATCH = 5_000;

type DateSpec = TimedTriggerSpec & { trigger: Extract<TimedTrigger, { type: 'date' }> };

const within = (instant: number, from: Date, to: Date) => instant > from.getTime() && instant <= to.getTime();

async function dealContact(db: Connection, dealId: unknown): Promise<string | undefined> {
  if (!dealId) return undefined;
  const deal = await (await dealModel(db)).findById(dealId).select({ contactId: 1 }).lean<DealRecord>();
  return deal?.contactId ? String(deal.contactId) : undefined;
}

/** `task.overdue` for every open task whose due time passed in (from, to]. */
export async function overdueTaskEvents(db: Connection, from: Date, to: Date): Promise<TimerEvent[]> {
  const Task = await taskModel(db);
  const tasks = await Task.find({ done: false, dueAt: { $gt: from, $lte: to } })
    .limit(BATCH)
    .lean<TaskRecord[]>();
  const events: TimerEvent[] = [];
  for (const task of tasks) {
    const contactId = task.contactId ? String(task.contactId) : await dealContact(db, task.dealId);
    if (!contactId || !task.dueAt) continue;
    events.push({
      id: `task-overdue-${String(task._id)}-${task.dueAt.getTime()}`,
      type: 'task.overdue',
      subject: { contactId, ...(task.dealId ? { dealId: String(task.dealId) } : {}) },
      taskId: String(task._id),
      kind: task.kind,
      snapshot: {
        task: {
          id: String(task._id),
          title: task.title,
          kind: task.kind,
          dueAt: task.dueAt.toISOString(),
          assigneeId: String(task.assigneeId),
          done: false,
        },
      },
    });
  }
  return events;
}

function appointmentSnapshot(appointment: AppointmentRecord) {
  return {
    id: String(appointment._id),
    title: appointment.title,
    startsAt: appointment.startsAt.toISOString(),
    endsAt: appointment.endsAt.toISOString(),
    ...(appointment.place ? { place: appointment.place } : {}),
    ...(appointment.onlineUrl ? { onlineUrl: appointment.onlineUrl } : {}),
    managerId: String(appointment.managerId),
    status: appointment.status,
  };
}

/**
 * Planned appointments whose moment for this trigger came in (from, to]: `appointment.upcoming`
 * (only while the meeting is still ahead) or `date.reached` for a date trigger on `appointment.*`.
 */
export async function appointmentEvents(
  db: Connection,
  spec: TimedTriggerSpec,
  from: Date,
  to: Date,
): Promise<TimerEvent[]> {
  const { trigger } = spec;
  if (trigger.type === 'noReply') return [];
  const property = trigger.type === 'date' ? trigger.field.split('.')[1] : 'startsAt';
  if (property !== 'startsAt' && property !== 'endsAt') return [];
  const range = timedTriggerAnchorRange(trigger, from, to);
  const Appointment = await appointmentModel(db);
  const appointments = await Appointment.find({ status: 'planned', [property]: { $gte: range.from, $lte: range.to } })
    .limit(BATCH)
    .lean<AppointmentRecord[]>();
  const events: TimerEvent[] = [];
  for (const appointment of appointments) {
    const anchor = appointment[property];
    const fireAt = timedTriggerFireAt(trigger, anchor, spec.timeZone).getTime();
    if (!within(fireAt, from, to)) continue;
    if (trigger.type === 'appointment.upcoming' && appointment.startsAt <= to) continue;
    const contactId = appointment.contactId ? String(appointment.contactId) : await dealContact(db, appointment.dealId);
    if (!contactId) continue;
    const subject = { contactId, ...(appointment.dealId ? { dealId: String(appointment.dealId) } : {}) };
    const base = { subject, snapshot: { appointment: appointmentSnapshot(appointment) } };
    const id = `${spec.key}-${String(appointment._id)}-${anchor.getTime()}`;
    events.push(
      trigger.type === 'date'
        ? { ...base, id: `date-${id}`, type: 'date.reached', field: trigger.field, ...dateParams(trigger) }
        : { ...base, id: `appt-${id}`, type: 'appointment.upcoming', before: trigger.before },
    );
  }
  return events;
}

function dateParams(trigger: Extract<TimedTrigger, { type: 'date' }>) {
  return { before: trigger.before, after: trigger.after, at: trigger.at };
}

/**
 * `noReply` for conversations that went quiet: the client wrote last and nobody answered
 * (`operator`), or we wrote last and the client is silent (`client`), for the trigger's time.
 */
export async function noReplyEvents(
  db: Connection,
  spec: TimedTriggerSpec,
  from: Date,
  to: Date,
): Promise<TimerEvent[]> {
  const { trigger } = spec;
  if (trigger.type !== 'noReply') return [];
  const range = timedTriggerAnchorRange(trigger, from, to);
  const direction = trigger.waiting === 'operator' ? 'in' : 'out';
  const conversations = await conversationModel(db)
    .find({
      'lastMessage.direction': direction,
      status: { $ne: 'resolved' },
      lastMessageAt: { $gte: range.from, $lte: range.to },
    })
    .limit(BATCH)
    .lean<ConversationRecord[]>();
  return conversations.flatMap((conversation) => {
    const anchor = conversation.lastMessageAt;
    if (!within(timedTriggerFireAt(trigger, anchor, spec.timeZone).getTime(), from, to)) return [];
    const event: TimerEvent = {
      id: `noreply-${String(conversation._id)}-${spec.key}-${anchor.getTime()}`,
      type: 'noReply',
      subject: { contactId: String(conversation.contactId), conversationId: String(conversation._id) },
      waiting: trigger.waiting,
      after: trigger.after,
    };
    return [event];
  });
}

interface StoredDate {
  /** Candidates whose date lies in the range. */
  filter(range: { from: Date; to: Date }): Record<string, unknown>;
  read(record: Record<string, unknown>): Date | undefined;
}

/**
 * Where a date path lives in the stored record: custom fields, the creation time, or (deals) the
 * entry into the current stage, which is the open visit of the stage history. The paths match
 * DATE_TRIGGER_PATHS of the validator, which refuses the others.
 */
function storedDate(root: string, property: string[]): StoredDate | undefined {
  if (property[0] === 'fields' && property.length === 2) return plainDate(`customFields.${property[1]}`);
  if (property.length === 1 && property[0] === 'createdAt') return plainDate('createdAt');
  if (root === 'deal' && property.length === 1 && property[0] === 'stageEnteredAt')
    return {
      filter: (range) => ({
        stageHistory: { $elemMatch: { leftAt: { $exists: false }, enteredAt: { $gte: range.from, $lte: range.to } } },
      }),
      read: (record) => {
        const visits: unknown = record.stageHistory;
        const current: unknown = Array.isArray(visits) ? visits.at(-1) : undefined;
        return typeof current === 'object' && current !== null ? readStored(current, 'enteredAt') : undefined;
      },
    };
  return undefined;
}

/** Custom date fields are kept as text (YYYY-MM-DD or ISO), creation times as dates: ask for both. */
function plainDate(path: string): StoredDate {
  return {
    filter: (range) => {
      const day = (date: Date) => date.toISOString().slice(0, 10);
      const dayAfter = new Date(range.to.getTime() + 86_400_000);
      return {
        $or: [
          { [path]: { $gte: range.from, $lte: range.to } },
          { [path]: { $gte: day(range.from), $lt: day(dayAfter) } },
        ],
      };
    },
    read: (record) => readStored(record, path),
  };
}

function readStored(record: object, path: string): Date | undefined {
  const value = path.split('.').reduce<unknown>((current, key) => {
    if (typeof current !== 'object' || current === null) return undefined;
    return Reflect.get(current, key);
  }, record);
  if (value instanceof Date) return value;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return undefined;
  return new Date(value);
}

/**
 * `date.reached` for a date trigger on a deal's or a contact's date (`deal.fields.next_contact_at`,
 * `deal.stageEnteredAt`, `contact.createdAt`). The event id holds the anchor, so a deal that enters
 * a stage again (or a date set anew) fires again.
 */
export async function recordDateEvents(db: Connection, spec: DateSpec, from: Date, to: Date): Promise<TimerEvent[]> {
  const { trigger } = spec;
  const [root = '', ...property] = trigger.field.split('.');
  const stored = storedDate(root, property);
  if (!stored || (root !== 'deal' && root !== 'contact')) return [];
  const filter = stored.filter(timedTriggerAnchorRange(trigger, from, to));
  const records =
    root === 'deal'
      ? await (await dealModel(db)).find(filter).limit(BATCH).lean<Record<string, unknown>[]>()
      : await contactModels(db).Contact.find(filter).limit(BATCH).lean<Record<string, unknown>[]>();
  const events: TimerEvent[] = [];
  for (const record of records) {
    const anchor = stored.read(record);
    if (!anchor || !within(timedTriggerFireAt(trigger, anchor, spec.timeZone).getTime(), from, to)) continue;
    const id = String(record._id);
    const contactId = root === 'deal' ? (record.contactId ? String(record.contactId) : undefined) : id;
    if (!contactId) continue;
    events.push({
      id: `date-${spec.key}-${id}-${anchor.getTime()}`,
      type: 'date.reached',
      subject: { contactId, ...(root === 'deal' ? { dealId: id } : {}) },
      field: trigger.field,
      ...dateParams(trigger),
    });
  }
  return events;
}
