import type { MessageView } from '../inbox-views.js';

// The rating buttons' ids (server/csat/csat-payload.ts): `csat:<conversation id>:<score>`.
const PAYLOAD = /^csat:[0-9a-f]{24}:([1-5])$/;

/** The score a client's tap on a rating button gave, or undefined for any other message. */
export function csatScore(message: Pick<MessageView, 'direction' | 'content'>): number | undefined {
  if (message.direction !== 'in' || message.content.kind !== 'button') return undefined;
  const score = PAYLOAD.exec(message.content.payload)?.[1];
  return score ? Number(score) : undefined;
}
