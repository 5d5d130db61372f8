import type { Logger } from 'pino';
import type { ApiServices } from '../../../server/api/api-services.js';
import { leadOwner } from '../../../server/leads/lead-owner.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel } from '../../../server/flows/flow-workspace-model.js';
import { handToPerson } from '../../../server/messaging/hand-to-person.js';
import { queueMessage } from '../../../server/messaging/queue-message.js';
import { addNote } from '../../../server/notes/add-note.js';
import { taskModel } from '../../../server/tasks/task-model.js';
import { buildSnapshot } from '../../../server/flows/build-snapshot.js';
import { isDuplicateKeyError } from '../../../server/contacts/is-duplicate-key-error.js';
import type { LlmClient } from '../llm/llm-client.js';
import { formatOpening } from './format-opening.js';
import { HANDOFF_TEXTS } from './handoff-texts.js';
import { nextBusinessOpening } from './next-business-opening.js';
import { summarizeLead } from './summarize-lead.js';

export interface Handover {
  conversationId: string;
  contactId: string;
  /** Makes every write of this handover once-only (the message's id): a retried job repeats nothing. */
  key: string;
  /** The client's language, for what the bot tells them. */
  language: 'ru' | 'en';
  now: Date;
}

const BOT = { kind: 'automation', id: 'bot', name: 'Бот' } as const;

/**
 * The bot gives the conversation to a person: it stops answering (handler `human`, status open),
 * the inbox's auto-assignment picks an available operator, a private note says what the bot
 * learned, and the client hears when a person answers. Outside business hours (the workspace's, as
 * the installed flow template sets them) that is the next opening, with a call-back task for it.
 * False when the conversation was no longer the bot's.
 */
export async function handOverToPerson(
  services: ApiServices,
  handover: Handover,
  options: { llm?: LlmClient; logger?: Pick<Logger, 'warn'> } = {},
): Promise<boolean> {
  const handed = await handToPerson(services, handover.conversationId, { onlyFromBot: true, now: handover.now });
  if (!handed) return false;

  const workspace = await workspaceOf(services);
  const staffLanguage = workspace?.language ?? 'ru';
  const subject = { contactId: handover.contactId, conversationId: handover.conversationId };
  await addNote(services, {
    entity: 'contact',
    entityId: handover.contactId,
    text: await summarizeLead(services.db, subject, { language: staffLanguage, ...options }),
    author: null,
    dedupeKey: `handoff|${handover.key}`,
    conversationId: handover.conversationId,
  });

  const opening = workspace && nextBusinessOpening(handover.now, workspace.businessHours, workspace.timeZone);
  const closed = workspace && opening && opening.getTime() > handover.now.getTime();
  const text = closed
    ? HANDOFF_TEXTS.later[handover.language].replace(
        '{when}',
        formatOpening(opening, handover.now, workspace.timeZone, handover.language),
      )
    : HANDOFF_TEXTS.now[handover.language];
  if (closed) await callBackTask(services, handover, opening, handed.assigneeId, staffLanguage);
  await queueMessage(services, {
    conversationId: handover.conversationId,
    message: { text },
    author: { kind: 'bot' },
    dedupeKey: `handoff|${handover.key}`,
  });
  return true;
}

async function workspaceOf(services: Pick<ApiServices, 'db'>) {
  const stored = await (await flowWorkspaceModel(services.db)).findById(FLOW_WORKSPACE_ID).lean();
  return stored?.workspace;
}

/** A call task at the next opening, for the operator given the chat, else the deal's or contact's owner. */
async function callBackTask(
  services: ApiServices,
  handover: Handover,
  dueAt: Date,
  assigneeId: string | undefined,
  language: 'ru' | 'en',
): Promise<void> {
  const snapshot = await buildSnapshot(services.db, handover);
  const owner = assigneeId ?? snapshot.deal?.ownerId ?? snapshot.contact?.ownerId;
  const Task = await taskModel(services.db);
  try {
    await Task.create({
      title: HANDOFF_TEXTS.callBackTask[language],
      kind: 'call',
      assigneeId: owner ?? (await leadOwner(services.db, undefined)),
      dueAt,
      done: false,
      contactId: handover.contactId,
      ...(snapshot.deal ? { dealId: snapshot.deal.id } : {}),
      sourceKey: `handoff|${handover.key}`,
      createdBy: BOT,
    });
  } catch (error) {
    // A retry of the same handover: its task is already there.
    if (!isDuplicateKeyError(error)) throw error;
  }
}
