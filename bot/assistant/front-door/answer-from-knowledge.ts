import type { Logger } from 'pino';
import type { ApiServices } from '../../../server/api/api-services.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel } from '../../../server/flows/flow-workspace-model.js';
import { queueMessage } from '../../../server/messaging/queue-message.js';
import { answerQuestion } from '../faq/answer-question.js';
import { KnowledgeIndex } from '../faq/knowledge-index.js';
import type { LlmClient } from '../llm/llm-client.js';
import { FRONT_DOOR_TEXTS } from './front-door-texts.js';

/** Each template's knowledge base, read once per process. */
const indexes = new Map<string, Promise<KnowledgeIndex | undefined>>();

function knowledgeOf(template: string, logger?: Pick<Logger, 'warn'>): Promise<KnowledgeIndex | undefined> {
  let index = indexes.get(template);
  if (!index) {
    index = KnowledgeIndex.load(template).catch((error: unknown) => {
      logger?.warn({ err: error, template }, 'no knowledge base for the template');
      return undefined;
    });
    indexes.set(template, index);
  }
  return index;
}

/** The installed template's knowledge base (see faq/), or undefined when it has none. */
export async function workspaceKnowledge(
  services: Pick<ApiServices, 'db'>,
  logger?: Pick<Logger, 'warn'>,
): Promise<KnowledgeIndex | undefined> {
  const workspace = await (await flowWorkspaceModel(services.db)).findById(FLOW_WORKSPACE_ID).lean();
  return workspace ? knowledgeOf(workspace.template, logger) : undefined;
}

/**
 * A client's question answered from the knowledge base: the answer goes to the client
 * (`answered`), or, when nothing there answers it (or there is no knowledge base), the bot says so
 * and offers a person (`unsure`). Either way the question is never taken for an answer.
 */
export async function answerFromKnowledge(
  services: ApiServices,
  index: KnowledgeIndex | undefined,
  question: { conversationId: string; text: string; language: 'ru' | 'en'; key: string },
  options: { llm?: LlmClient; logger?: Pick<Logger, 'warn'> },
): Promise<'answered' | 'unsure'> {
  const answer = index && (await answerQuestion(question.text, { index, language: question.language, ...options }));
  const known = answer?.kind === 'answer' ? answer.text : undefined;
  await queueMessage(services, {
    conversationId: question.conversationId,
    message: { text: known ?? FRONT_DOOR_TEXTS.unsure[question.language] },
    author: { kind: 'bot' },
    dedupeKey: `faq|${question.key}`,
  });
  return known ? 'answered' : 'unsure';
}
