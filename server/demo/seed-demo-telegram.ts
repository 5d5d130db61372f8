import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { channelAccountModel } from '../channels/channel-account-model.js';
import { DEMO_TELEGRAM_CHAT_SCRIPTS } from './demo-telegram-chat-scripts.js';
import { seedDemoConversations, type DemoChatChannel } from './seed-demo-conversations.js';
import type { DemoChatIdentity } from './write-demo-conversation.js';

/** The demo's bot as its account and the sandbox show it. */
export const DEMO_TELEGRAM_BOT = {
  accountName: 'Telegram (демо)',
  firstName: 'ЭкоДом',
  username: 'ecodom_demo_bot',
} as const;

/** The Telegram chats' claim, next to the workspace's and the site chats'. */
export const DEMO_TELEGRAM_CHATS_MARKER_ID = 'demo-telegram-chats';

/** A demo client's Telegram user id: a private chat's id is its user's (https://core.telegram.org/bots/api#chat). */
export function demoTelegramUserId(contactIndex: number): number {
  return 6_010_000_000 + contactIndex * 104_729;
}

/** Who a demo client is on Telegram: messages in a private chat are numbered 1, 2, … across both sides. */
function telegramIdentity({ index, name, phone }: { index: number; name: string; phone: string }): DemoChatIdentity {
  const userId = String(demoTelegramUserId(index));
  return {
    chatId: userId,
    // Telegram gives no phone; the seed passes the contact's so the identity lands on that contact.
    sender: { externalId: userId, name, phone },
    externalIdOf: (messageIndex) => `${userId}:${messageIndex + 1}`,
  };
}

const DEMO_TELEGRAM_CHATS: DemoChatChannel = {
  markerId: DEMO_TELEGRAM_CHATS_MARKER_ID,
  prngSeed: 20_240_003,
  scripts: DEMO_TELEGRAM_CHAT_SCRIPTS,
  identityOf: telegramIdentity,
};

/**
 * The demo's second channel: a Telegram bot account served by the app's own Bot API sandbox
 * (`sandbox: true`, which no API request can set; see server/demo/telegram-sandbox/), answered by
 * `teamIds`, and the Telegram chats of six demo clients on it. Its token and webhook secret are
 * made here, random, and sealed like any bot's.
 */
export async function seedDemoTelegram(
  services: Pick<ApiServices, 'db' | 'channels' | 'queues' | 'logger'>,
  teamIds: Types.ObjectId[],
): Promise<void> {
  const _id = new Types.ObjectId();
  const secrets = {
    token: `${randomInt(7_000_000_000, 7_999_999_999)}:${randomBytes(26).toString('base64url')}`,
    webhookSecret: randomBytes(24).toString('base64url'),
  };
  await channelAccountModel(services.db).create({
    _id,
    type: 'telegram',
    name: DEMO_TELEGRAM_BOT.accountName,
    settings: { botUsername: DEMO_TELEGRAM_BOT.username, mode: 'webhook' },
    sealedSecrets: services.channels.sealSecrets(_id.toHexString(), secrets),
    secretHints: { token: secrets.token.slice(-4), webhookSecret: secrets.webhookSecret.slice(-4) },
    teamIds,
    sandbox: true,
  });
  const chats = await seedDemoConversations(services, _id.toHexString(), { channel: DEMO_TELEGRAM_CHATS });
  if (chats.seeded) services.logger.info({ ...chats.counts }, 'demo Telegram chats seeded on the sandbox bot');
}
