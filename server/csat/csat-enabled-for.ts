import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { csatChannelSettingModel } from './csat-channel-setting-model.js';

/** Whether a channel type asks for ratings when no admin chose for the account (CSAT_CHANNELS). */
export function csatByDefault(config: Pick<ApiServices['config'], 'CSAT_CHANNELS'>, channelType: string): boolean {
  return config.CSAT_CHANNELS.includes(channelType);
}

/** Whether ratings are asked on a channel account: its own setting, else CSAT_CHANNELS by channel type. */
export async function csatEnabledFor(
  services: Pick<ApiServices, 'db' | 'config'>,
  channel: { channelAccountId: string; channel: string },
): Promise<boolean> {
  const setting = await csatChannelSettingModel(services.db)
    .findOne({ channelAccountId: new Types.ObjectId(channel.channelAccountId) }, { enabled: 1 })
    .lean<{ enabled: boolean }>();
  return setting?.enabled ?? csatByDefault(services.config, channel.channel);
}
