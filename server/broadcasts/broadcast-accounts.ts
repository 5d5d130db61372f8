import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import type { BroadcastChannel, BroadcastRecord } from './broadcast-model.js';

/**
 * The account each of the broadcast's channels goes out on: the one it names, else the first
 * active account of that type. Channels without a variant or an active account are left out.
 */
export async function broadcastAccounts(
  services: Pick<ApiServices, 'channels'>,
  broadcast: Pick<BroadcastRecord, 'channelOrder' | 'variants' | 'accounts'>,
): Promise<Map<BroadcastChannel, LoadedAccount>> {
  const accounts = new Map<BroadcastChannel, LoadedAccount>();
  for (const channel of broadcast.channelOrder) {
    if (!broadcast.variants[channel]) continue;
    const chosen = broadcast.accounts?.[channel];
    const account = chosen
      ? await services.channels.get(String(chosen))
      : (await services.channels.listActive(channel))[0];
    if (account?.type === channel) accounts.set(channel, account);
  }
  return accounts;
}
