import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { contactModels } from '../contacts/contact-models.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import type { MessageView, ViewCallContent } from '../messaging/message-views.js';
import { taskModel } from '../tasks/task-model.js';
import { pickCallbackAssignee } from './pick-callback-assignee.js';

/** How soon a missed call should be returned: the seeds' "срочный контакт менеджера с клиентом". */
const CALL_BACK_WITHIN_MS = 15 * 60_000;

const OUTCOME_WORDS: Record<ViewCallContent['outcome'], string> = {
  answered: 'отвечен',
  missed: 'не отвечен',
  busy: 'занято',
  failed: 'не состоялся',
};

/**
 * A missed incoming call (not answered: no answer, busy, failed) gets one call-back task, keyed by
 * the call's entry, so a redelivered webhook or a retry after a crash adds no second one. Who gets
 * it: see pickCallbackAssignee.
 */
export async function ensureCallbackTask(
  services: Pick<ApiServices, 'db' | 'logger'>,
  account: Pick<LoadedAccount, 'id' | 'teamIds'>,
  message: MessageView,
): Promise<void> {
  const call = message.content;
  if (call.kind !== 'call' || call.direction !== 'in' || call.outcome === 'answered') return;
  const Task = await taskModel(services.db);
  const sourceKey = `callback:${message.id}`;
  if (await Task.exists({ sourceKey })) return;
  const contact = await contactModels(services.db).Contact.findById(message.contactId, { ownerId: 1 }).lean();
  const assigneeId = await pickCallbackAssignee(services.db, {
    ownerId: contact?.ownerId?.toHexString(),
    operatorId: call.operator?.userId,
    teamIds: account.teamIds,
  });
  if (!assigneeId) {
    services.logger.warn({ channel: account.id, message: message.id }, 'missed call: nobody to call back');
    return;
  }
  const endedAt = new Date(call.startedAt).getTime() + call.durationSec * 1000;
  try {
    await Task.create({
      title: `Перезвонить: пропущенный звонок с ${call.from}`,
      kind: 'call',
      description: [
        `Входящий звонок на ${call.to}: ${OUTCOME_WORDS[call.outcome]}`,
        call.operator ? `добавочный ${call.operator.extension}` : undefined,
      ]
        .filter(Boolean)
        .join(', '),
      assigneeId,
      dueAt: new Date(Math.max(endedAt, Date.now()) + CALL_BACK_WITHIN_MS),
      done: false,
      contactId: new Types.ObjectId(message.contactId),
      sourceKey,
      createdBy: { kind: 'automation', id: 'missed-call' },
    });
  } catch (error) {
    // The same call delivered twice at once: the other request made the task.
    if (!isDuplicateKeyError(error)) throw error;
  }
}
