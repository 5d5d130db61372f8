import { describe, expect, it } from 'vitest';
import { confirmableSends } from '../../inbox/src/lib/campaigns/broadcast-progress.js';
import type { BroadcastCounts } from '../../inbox/src/lib/campaigns/campaign-views.js';

function counts(sent: number): BroadcastCounts {
  return { sent } as BroadcastCounts;
}

describe('confirmableSends', () => {
  it('is unknown when no channel of the broadcast confirms delivery', () => {
    expect(confirmableSends({ countsByChannel: { webchat: counts(9), telegram: counts(4) } })).toBeNull();
  });

  it('counts only the sends of channels that confirm delivery', () => {
    expect(confirmableSends({ countsByChannel: { webchat: counts(9), whatsapp: counts(5), sms: counts(2) } })).toBe(7);
  });
});
