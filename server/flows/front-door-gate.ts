import type { DomainFlowEvent } from '../../flows/index.js';

/**
 * What the front-door bot does with a client's message before the flows see it (see
 * bot/assistant/front-door). `handed-over`: the bot gave the conversation to a person, so the
 * flows hear `conversation.takenOver` before the message and the bot's questions stop.
 * `answered`: the message was a question the bot replied to, so a waiting ask step repeats its
 * question (a book step its offer) rather than read the message as the answer.
 */
export interface FrontDoorGate {
  receive(
    event: Extract<DomainFlowEvent, { type: 'message.received' }> & { id: string },
  ): Promise<'handed-over' | 'answered' | undefined>;
}
