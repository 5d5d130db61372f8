import type { ApiServices } from '../../../server/api/api-services.js';
import { pinnedDefinition } from '../../../server/flows/flow-definitions.js';
import { flowRunModel, type FlowRunRecord } from '../../../server/flows/flow-run-model.js';
import { parseAnswer } from '../extract/parse-answer.js';
import type { WaitingQuestion } from './read-reply.js';

/**
 * The question a flow waits on in the conversation (the newest, when several flows wait): an ask
 * step, or a book step's "which time?", as the front door reads answers to it: offline, in the
 * flow's zone and the client's language. Undefined when no flow asked anything there.
 */
export async function waitingQuestion(
  services: Pick<ApiServices, 'db'>,
  chat: { contactId: string; conversationId: string; language: 'ru' | 'en'; now: Date },
): Promise<WaitingQuestion | undefined> {
  const runs = await (
    await flowRunModel(services.db)
  )
    .find({ contactId: chat.contactId, status: 'waiting' })
    .sort({ updatedAt: -1 })
    .select({ flowId: 1, flowVersion: 1, 'state.cursor': 1, 'state.subject': 1 })
    .lean<Pick<FlowRunRecord, 'flowId' | 'flowVersion' | 'state'>[]>();
  for (const run of runs) {
    const { cursor, subject } = run.state;
    if (!cursor || (subject.conversationId && subject.conversationId !== chat.conversationId)) continue;
    const definition = await pinnedDefinition(services.db, run.flowId, run.flowVersion);
    const step = definition?.steps.find((candidate) => candidate.id === cursor);
    if (!definition || (step?.type !== 'ask' && step?.type !== 'book')) continue;
    // A book step waits on a day or a time ("можно завтра?" picks a day, it asks nothing).
    const answer = step.type === 'ask' ? step.answer : 'date';
    const buttons = step.type === 'ask' ? (step.buttons ?? []) : [];
    const choices = buttons.map((button) => ({ ...(button.id ? { id: button.id } : {}), text: button.text }));
    const options = { locale: chat.language, now: chat.now, timeZone: definition.timeZone, choices };
    return { answer, read: (text) => parseAnswer(answer, text, options) };
  }
  return undefined;
}
