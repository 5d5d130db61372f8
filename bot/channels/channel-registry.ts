import type { ChannelAdapter } from './channel-adapter.js';
import { createEmailAdapter } from '../email/email-adapter.js';
import { createSmsAdapter } from '../sms/sms-adapter.js';
import { createTelegramAdapter } from '../telegram/telegram-adapter.js';
import { createVoiceAdapter } from '../voice/voice-adapter.js';
import { createVkAdapter } from '../vk/vk-adapter.js';
import { createWhatsappAdapter } from '../whatsapp/whatsapp-adapter.js';
import { createWebchatAdapter, type VisitorDelivery } from '../webchat/webchat-adapter.js';

import type { ChannelType } from './channel-types.js';

export { CHANNEL_TYPES, isChannelType, type ChannelType } from './channel-types.js';

export type ChannelRegistry = Record<ChannelType, ChannelAdapter>;

/**
 * Every channel type the product speaks; adding a channel means adding its folder and a line
 * here. Built at boot because the site chat delivers through this process's realtime server.
 */
export interface ChannelDependencies {
  /** TELEGRAM_API_ROOT: https://api.telegram.org or a local Bot API server. */
  telegramApiRoot: string;
  /** The demo's Telegram sandbox, which the demo's own bot talks to; absent when the demo is off. */
  telegramSandboxApiRoot?: string;
  /** WHATSAPP_GRAPH_URL: https://graph.facebook.com/v21.0 or a local stand-in. */
  whatsappGraphUrl: string;
  /** VK_API_ROOT: https://api.vk.com/method or a local stand-in. */
  vkApiRoot: string;
  /** How the site chat reaches a visitor's open widgets. */
  visitors: VisitorDelivery;
  /** TWILIO_API_ROOT: https://api.twilio.com or a local stand-in (SMS and calls). */
  twilioApiRoot: string;
  /** SMSRU_API_ROOT: https://sms.ru or a local stand-in. */
  smsruApiRoot: string;
  /** ZADARMA_API_ROOT: https://api.zadarma.com or a local stand-in. */
  zadarmaApiRoot: string;
  /** PUBLIC_URL: where providers told per message (Twilio's StatusCallback) post back. */
  publicUrl: string;
}

export function createChannelRegistry(dependencies: ChannelDependencies): ChannelRegistry {
  // Adapters are generic in their own settings; the registry hands them out by type only.
  return {
    telegram: createTelegramAdapter({
      apiRoot: dependencies.telegramApiRoot,
      ...(dependencies.telegramSandboxApiRoot ? { sandboxApiRoot: dependencies.telegramSandboxApiRoot } : {}),
    }) as unknown as ChannelAdapter,
    whatsapp: createWhatsappAdapter({ graphUrl: dependencies.whatsappGraphUrl }) as unknown as ChannelAdapter,
    webchat: createWebchatAdapter(dependencies.visitors) as unknown as ChannelAdapter,
    vk: createVkAdapter({ apiRoot: dependencies.vkApiRoot }) as unknown as ChannelAdapter,
    sms: createSmsAdapter({
      twilioApiRoot: dependencies.twilioApiRoot,
      smsruApiRoot: dependencies.smsruApiRoot,
      publicUrl: dependencies.publicUrl,
    }) as unknown as ChannelAdapter,
    voice: createVoiceAdapter({
      twilioApiRoot: dependencies.twilioApiRoot,
      zadarmaApiRoot: dependencies.zadarmaApiRoot,
    }) as unknown as ChannelAdapter,
    email: createEmailAdapter() as unknown as ChannelAdapter,
  };
}
