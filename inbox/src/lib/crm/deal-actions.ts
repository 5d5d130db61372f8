import { sendJson, type SendResult } from '../send-json.js';
import type { Deal } from './deal-views.js';

const dealUrl = (id: string, action = '') => `/api/v1/deals/${encodeURIComponent(id)}${action}`;

/**
 * The changes a person makes to a deal. Each answers the stored deal or the server's refusal;
 * stage changes go through move / won / lost, which keep the stage history.
 */
export const dealActions = {
  create(
    input: { title: string; pipelineId: string; amount?: number; contactId?: string },
    csrfToken?: string,
  ): Promise<SendResult<Deal>> {
    return sendJson('POST', '/api/v1/deals', input, csrfToken);
  },
  change(id: string, change: { title?: string; amount?: number; ownerId?: string }, csrfToken?: string) {
    return sendJson<Deal>('PATCH', dealUrl(id), change, csrfToken);
  },
  move(id: string, stageId: string, csrfToken?: string): Promise<SendResult<Deal>> {
    return sendJson('POST', dealUrl(id, '/move'), { stageId }, csrfToken);
  },
  win(id: string, csrfToken?: string): Promise<SendResult<Deal>> {
    return sendJson('POST', dealUrl(id, '/won'), undefined, csrfToken);
  },
  lose(id: string, reason: string, csrfToken?: string): Promise<SendResult<Deal>> {
    return sendJson('POST', dealUrl(id, '/lost'), { reason }, csrfToken);
  },
  /** Puts a deal into a stage of its pipeline the way the server wants it: won and lost have their own routes. */
  toStage(
    deal: Pick<Deal, 'id'>,
    stage: { id: string; kind: 'open' | 'won' | 'lost' },
    lostReason: string | undefined,
    csrfToken?: string,
  ): Promise<SendResult<Deal>> {
    if (stage.kind === 'won') return dealActions.win(deal.id, csrfToken);
    if (stage.kind === 'lost') return dealActions.lose(deal.id, lostReason ?? '', csrfToken);
    return dealActions.move(deal.id, stage.id, csrfToken);
  },
};
