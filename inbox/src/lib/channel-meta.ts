import type { MessageKey } from './i18n.svelte';
import type { IconName } from './icons';
import { CHANNELS, type ChannelType } from './inbox-views';

function isChannel(channel: string): channel is ChannelType {
  return CHANNELS.some((known) => known === channel);
}

/** A channel's icon and name; a channel this build does not know yet shows as a chat. */
export function channelMeta(channel: string): { icon: IconName; label: MessageKey } {
  const known = isChannel(channel) ? channel : 'webchat';
  return { icon: known, label: `channel.${known}` };
}

/** Channels whose conversations are records only: calls take no reply. */
export function isReadOnlyChannel(channel: string): boolean {
  return channel === 'voice';
}
