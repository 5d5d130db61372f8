import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { conversationModel } from '../messaging/conversation-model.js';
import { segmentAudience } from '../segments/segment-audience.js';
import type { SegmentRecord } from '../segments/segment-model.js';
import type { BroadcastChannel, BroadcastRecord } from './broadcast-model.js';
import { chatIdOn, pickRecipientChannel, type PlannedContact, type RecipientPlan } from './pick-recipient-channel.js';

export interface PlannedRecipient {
  contactId: Types.ObjectId;
  plan: RecipientPlan;
}

/** The WhatsApp chats among `chatIds` whose person wrote within the service window. */
async function openWindows(
  services: Pick<ApiServices, 'db'>,
  account: LoadedAccount,
  chatIds: string[],
  now: Date,
): Promise<Set<string>> {
  const hours = account.adapter.capabilities.serviceWindowHours ?? 24;
  const open = await conversationModel(services.db)
    .find(
      {
        channelAccountId: new Types.ObjectId(account.id),
        chatId: { $in: chatIds },
        lastInboundAt: { $gte: new Date(now.getTime() - hours * 3600_000) },
      },
      { chatId: 1 },
    )
    .lean();
  return new Set(open.map((conversation) => conversation.chatId));
}

/**
 * The segment's contacts batch by batch, each with its channel, account and chat chosen (or why
 * none): what a launch freezes, and what its WhatsApp check counts first.
 */
export async function* planAudience(
  services: Pick<ApiServices, 'db'>,
  broadcast: Pick<BroadcastRecord, 'channelOrder' | 'variants'>,
  segment: SegmentRecord,
  accounts: ReadonlyMap<BroadcastChannel, LoadedAccount>,
  batchSize = 1000,
): AsyncGenerator<PlannedRecipient[]> {
  const whatsapp = accounts.get('whatsapp');
  const checksWindow = whatsapp && !broadcast.variants.whatsapp?.template;
  const now = new Date();
  for await (const batch of segmentAudience(services.db, segment, batchSize)) {
    const contacts: PlannedContact[] = batch;
    const open =
      whatsapp && checksWindow
        ? await openWindows(
            services,
            whatsapp,
            contacts.flatMap((contact) => chatIdOn(contact, 'whatsapp', whatsapp) ?? []),
            now,
          )
        : new Set<string>();
    yield contacts.map((contact) => ({
      contactId: contact._id,
      plan: pickRecipientChannel(broadcast, accounts, contact, (_account, chatId) => open.has(chatId)),
    }));
  }
}
