import type { ApiServices } from '../../../server/api/api-services.js';
import { AssistantAnswerParser } from '../answers/assistant-answer-parser.js';
import { llmClient } from '../llm/llm-client.js';
import { FrontDoor } from './front-door.js';

/**
 * The front-door bot as the flow workers take it: its answer parser for the ask steps and its
 * gate for client messages, both on the LLM when OPENAI_API_KEY is set and offline otherwise.
 */
export function createFrontDoorBot(services: ApiServices): {
  answerParser: AssistantAnswerParser;
  frontDoor: FrontDoor;
} {
  const llm = llmClient(services.config);
  const logger = services.logger;
  return {
    answerParser: new AssistantAnswerParser({ ...(llm ? { llm } : {}), logger }),
    frontDoor: new FrontDoor(services, { ...(llm ? { llm } : {}), logger }),
  };
}
