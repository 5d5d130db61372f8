import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { channelAccountModel } from '../channels/channel-account-model.js';

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
 * account allowed on the app's own address. Messengers need tokens from their providers, so
 * they are connected by an admin, not seeded.
 */
export async function seedDemoChannels(services: Pick<ApiServices, 'db' | 'channels' | 'config'>): Promise<void> {
  const _id = new Types.ObjectId();
  await channelAccountModel(services.db).create({
    _id,
    type: 'webchat',
    name: 'Сайт ЭкоДом',
    settings: { allowedOrigins: ownOrigins(services.config.publicUrl), title: 'ЭкоДом', color: '#2f7d4f' },
    sealedSecrets: services.channels.sealSecrets(_id.toHexString(), {}),
    secretHints: {},
    teamIds: [],
  });
}
