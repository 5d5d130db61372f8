import type { ChannelAdapter } from './channel-adapter.js';
import { createTelegramAdapter } from '../telegram/telegram-adapter.js';
import { createWhatsappAdapter } from '../whatsapp/whatsapp-adapter.js';
import { createWebchatAdapter, type VisitorDelivery } from '../webchat/webchat-adapter.js';

export const CHANNEL_TYPES = ['telegram', 'whatsapp', 'webchat'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export function isChannelType(type: string): type is ChannelType {
  return (CHANNEL_TYPES as readonly string[]).includes(type);
}

export type ChannelRegistry = Record<ChannelType, ChannelAdapter>;

/**
 * Every channel type the product speaks; adding a channel means adding its folder and a line
 * here. Built at boot because the site chat delivers through this process's realtime server.
 */
export interface ChannelDependencies {
  /** TELEGRAM_API_ROOT: https://api.telegram.org or a local Bot API server. */
  telegramApiRoot: string;
  /** WHATSAPP_GRAPH_URL: https://graph.facebook.com/v21.0 or a local stand-in. */
  whatsappGraphUrl: string;
  /** How the site chat reaches a visitor's open widgets. */
  visitors: VisitorDelivery;
}

export function createChannelRegistry(dependencies: ChannelDependencies): ChannelRegistry {
  // Adapters are generic in their own settings; the registry hands them out by type only.
  return {
    telegram: createTelegramAdapter({ apiRoot: dependencies.telegramApiRoot }) as unknown as ChannelAdapter,
    whatsapp: createWhatsappAdapter({ graphUrl: dependencies.whatsappGraphUrl }) as unknown as ChannelAdapter,
    webchat: createWebchatAdapter(dependencies.visitors) as unknown as ChannelAdapter,
  };
}
