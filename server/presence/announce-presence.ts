import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { OperatorPresence, type PresenceStatus } from './operator-presence.js';

/**
 * Reads a user's presence as every process sees it and announces it as `presence.changed`, so
 * colleagues' inboxes (and the user's other tabs) show who is there without polling.
 */
export async function announcePresence(
  services: Pick<ApiServices, 'redis' | 'events'>,
  user: Pick<AuthUser, 'id' | 'teamIds'>,
): Promise<PresenceStatus> {
  const statuses = await new OperatorPresence(services.redis).statusOf([user.id]);
  const status = statuses.get(user.id) ?? 'offline';
  services.events.emit({ type: 'presence.changed', userId: user.id, teamIds: user.teamIds, status });
  return status;
}
