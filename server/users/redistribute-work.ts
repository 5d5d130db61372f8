import type { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { toContactView } from '../contacts/to-contact-view.js';
import { changeDeal } from '../deals/change-deal.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { recordDealChange } from '../deals/record-deal-change.js';
import { taskModel, type TaskRecord } from '../tasks/task-model.js';
import { toTaskView } from '../tasks/to-task-view.js';
import type { MovedCounts } from './deactivation-schemas.js';

type Id = Types.ObjectId | string | undefined;

/**
 * Round robin over the receivers, except that a record linked to something a receiver now holds
 * goes to that receiver: a client's deals and tasks stay with whoever took the client, so the
 * client hears from one person, not three.
 */
function roundRobin(receivers: string[]) {
  let turn = 0;
  const next = () => receivers[turn++ % receivers.length]!;
  return {
    follow(...holders: (string | undefined)[]): string {
      return holders.find((holder) => holder !== undefined && receivers.includes(holder)) ?? next();
    },
  };
}

function ownerMap(rows: { _id: Types.ObjectId; ownerId?: Types.ObjectId }[]): Map<string, string> {
  return new Map(rows.flatMap((row) => (row.ownerId ? [[String(row._id), String(row.ownerId)] as const] : [])));
}

const present = (ids: Id[]) => ids.filter((id): id is Types.ObjectId | string => id !== undefined);

/**
 * Hands a leaving user's active contacts, open deals and open tasks to the receivers, in that
 * order (so deals and tasks can follow their client). Each move is a conditional write on the
 * record still belonging to the leaving user, so a retry or a concurrent change never moves a
 * record twice, and each move is written to the audit log with the record before and after.
 */
export async function redistributeWork(
  services: Pick<ApiServices, 'db'>,
  leaving: Types.ObjectId,
  receivers: string[],
  actor: AuthUser,
): Promise<Map<string, MovedCounts>> {
  const db = services.db;
  const from = leaving.toHexString();
  const meta = { reason: 'deactivation', deactivatedUserId: from };
  const moved = new Map(receivers.map((id) => [id, { deals: 0, tasks: 0, contacts: 0 }]));
  const count = (to: string, kind: keyof MovedCounts) => moved.get(to)![kind]++;
  const turns = roundRobin(receivers);
  const { Contact } = contactModels(db);
  const Deal = await dealModel(db);
  const Task = await taskModel(db);

  const contacts = await Contact.find({ ownerId: leaving, status: 'active' }).sort({ _id: 1 }).lean<ContactRecord[]>();
  for (const before of contacts) {
    const to = turns.follow();
    const after = await Contact.findOneAndUpdate(
      { _id: before._id, ownerId: leaving, status: 'active' },
      { $set: { ownerId: to } },
      { returnDocument: 'after' },
    ).lean<ContactRecord>();
    if (!after) continue;
    count(to, 'contacts');
    await recordAudit(services, {
      actor,
      action: 'contact.update',
      entity: 'contact',
      entityId: String(after._id),
      before: toContactView(before),
      after: toContactView(after),
      meta,
    });
  }

  const deals = await Deal.find({ ownerId: leaving, status: 'open' }).sort({ _id: 1 }).lean<DealRecord[]>();
  const contactOwners = ownerMap(
    await Contact.find({ _id: { $in: present(deals.map((deal) => deal.contactId)) } })
      .select({ ownerId: 1 })
      .lean<ContactRecord[]>(),
  );
  for (const deal of deals) {
    const to = turns.follow(contactOwners.get(String(deal.contactId)));
    let before: DealRecord | undefined;
    const after = await changeDeal(db, { _id: deal._id }, (current) => {
      before = current;
      const stillTheirs = current.status === 'open' && String(current.ownerId) === from;
      return stillTheirs ? { $set: { ownerId: to } } : undefined;
    });
    if (String(before?.ownerId) !== from || String(after.ownerId) !== to) continue;
    count(to, 'deals');
    await recordDealChange(services, actor, 'deal.update', before, after, meta);
  }

  const tasks = await Task.find({ assigneeId: leaving, done: false }).sort({ _id: 1 }).lean<TaskRecord[]>();
  const dealOwners = ownerMap(
    await Deal.find({ _id: { $in: present(tasks.map((task) => task.dealId)) } })
      .select({ ownerId: 1 })
      .lean<DealRecord[]>(),
  );
  const taskContactOwners = ownerMap(
    await Contact.find({ _id: { $in: present(tasks.map((task) => task.contactId)) } })
      .select({ ownerId: 1 })
      .lean<ContactRecord[]>(),
  );
  for (const before of tasks) {
    const to = turns.follow(dealOwners.get(String(before.dealId)), taskContactOwners.get(String(before.contactId)));
    const after = await Task.findOneAndUpdate(
      { _id: before._id, assigneeId: leaving, done: false },
      { $set: { assigneeId: to } },
      { returnDocument: 'after' },
    ).lean<TaskRecord>();
    if (!after) continue;
    count(to, 'tasks');
    await recordAudit(services, {
      actor,
      action: 'task.update',
      entity: 'task',
      entityId: String(after._id),
      before: toTaskView(before),
      after: toTaskView(after),
      meta,
    });
  }
  return moved;
}
