import { getJson } from '../get-json';
import { sendJson } from '../send-json';

export const PRESENCE_STATUSES = ['online', 'away', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

const URL = '/api/v1/me/presence';

/**
 * The signed-in operator's presence (server/presence): read once, set from the top bar, and kept
 * in step by `presence.changed` pushes (another tab of theirs, a closed last tab elsewhere).
 */
class Presence {
  status = $state<PresenceStatus | undefined>();
  failed = $state(false);

  async load(): Promise<void> {
    try {
      this.status = (await getJson<{ status: PresenceStatus }>(URL)).status;
    } catch {
      // Roles that answer no conversations (marketers) have no presence: the switch stays hidden.
      this.status = undefined;
    }
  }

  async choose(status: PresenceStatus, csrfToken?: string): Promise<void> {
    const before = this.status;
    this.status = status;
    this.failed = false;
    const result = await sendJson<{ status: PresenceStatus }>('PATCH', URL, { status }, csrfToken);
    if (result.ok) {
      this.status = result.data.status;
      return;
    }
    this.status = before;
    this.failed = true;
  }

  pushed(status: PresenceStatus): void {
    this.status = status;
  }
}

export const presence = new Presence();
