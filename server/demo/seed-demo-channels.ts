import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { channelAccountModel } from '../channels/channel-account-model.js';
import { userModels } from '../users/user-models.js';
import { DEMO_TEAMS } from './demo-accounts.js';
import { seedDemoConversations } from './seed-demo-conversations.js';
import { seedDemoTelegram } from './seed-demo-telegram.js';

/** The origins a browser on this machine may show the app's own /demo page from. */
function ownOrigins(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  const origins = new Set([url.origin]);
  // The app is opened as localhost or 127.0.0.1 alike; both must show the demo chat.
  if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') {
    for (const host of ['localhost', '127.0.0.1'])
      origins.add(`${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
  }
  return [...origins];
}

/**
 * The demo's site chat, so /demo shows a working widget right after `npm start`: a webchat
 * account allowed on the app's own address, whose chats go to the sales team (the demo operator
 * works there: the team is what lets an operator see and be given a chat), and the site chats of
 * some demo clients on it (seedDemoConversations), so the inbox is not empty; and a Telegram bot
 * served by the app's own Bot API sandbox (seedDemoTelegram), since a real bot needs a token from
 * Telegram and Telegram itself. Other messengers are connected by an admin, not seeded.
 */
export async function seedDemoChannels(
  services: Pick<ApiServices, 'db' | 'channels' | 'config' | 'queues' | 'logger'>,
): Promise<void> {
  const _id = new Types.ObjectId();
  const sales = await userModels(services.db).Team.findOne({ nameKey: DEMO_TEAMS.sales.name.toLowerCase() }).lean();
  await channelAccountModel(services.db).create({
    _id,
    type: 'webchat',
    name: 'Сайт ЭкоДом',
    settings: { allowedOrigins: ownOrigins(services.config.publicUrl), title: 'ЭкоДом', color: '#2f7d4f' },
    sealedSecrets: services.channels.sealSecrets(_id.toHexString(), {}),
    secretHints: {},
    teamIds: sales ? [sales._id] : [],
  });
  const chats = await seedDemoConversations(services, _id.toHexString());
  if (chats.seeded)
    services.logger.info({ ...chats.counts }, 'demo site chats seeded: the inbox has conversations to answer');
  await seedDemoTelegram(services, sales ? [sales._id] : []);
}
