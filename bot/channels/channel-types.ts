/**
 * The channel types the product speaks, apart from their adapters: contacts, models and the API
 * name channels without loading every provider's code. channel-registry.ts maps each to its adapter.
 */
export const CHANNEL_TYPES = ['telegram', 'whatsapp', 'webchat', 'vk', 'sms', 'voice', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export function isChannelType(type: string): type is ChannelType {
  return (CHANNEL_TYPES as readonly string[]).includes(type);
}
