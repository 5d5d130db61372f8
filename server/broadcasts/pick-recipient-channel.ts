import type { LoadedAccount } from '../channels/channel-accounts.js';
import type { ContactRecord } from '../contacts/contact-models.js';
import type { BroadcastChannel, BroadcastRecord } from './broadcast-model.js';

/** What the freeze reads of a contact (a subset of the segment audience's rows). */
export type PlannedContact = Pick<ContactRecord, '_id' | 'phones' | 'emails' | 'identities' | 'consent'>;

export type RecipientPlan = (
  | { channel: BroadcastChannel; account: LoadedAccount; chatId: string }
  | { skipReason: 'opted_out' | 'unreachable' | 'outside_whatsapp_window' }
) & {
  /** WhatsApp would have been theirs but its window is closed and there is no template. */
  whatsappWindowClosed: boolean;
};

/**
 * Where the contact's chat is on a channel's account: the Telegram user id (private chat) for the
 * bot they wrote to, the wa_id digits, the E.164 number, the e-mail address, the site visitor id.
 */
export function chatIdOn(
  contact: PlannedContact,
  channel: BroadcastChannel,
  account: LoadedAccount,
): string | undefined {
  const identity = (type: BroadcastChannel) =>
    contact.identities.find(
      (entry) => entry.channel === type && (entry.accountId === undefined || entry.accountId === account.id),
    )?.externalId;
  const phone = contact.phones[0]?.e164;
  switch (channel) {
    case 'telegram':
    case 'webchat':
      // A bot can write only to people who started it; a widget only to its own visitors.
      return identity(channel);
    case 'whatsapp':
      // The Cloud API's `to` is the number without '+' (the wa_id), as inbound chats are keyed.
      return (identity('whatsapp') ?? phone)?.replace(/^\+/, '');
    case 'sms':
      return identity('sms') ?? phone;
    case 'email':
      return identity('email') ?? contact.emails[0];
  }
}

/**
 * The recipient's channel, chosen once at launch: the first channel of the broadcast's order that
 * has a variant and an account, reaches the contact and is not opted out of. WhatsApp without a
 * template reaches only those who wrote within the service window (`windowOpen`).
 */
export function pickRecipientChannel(
  broadcast: Pick<BroadcastRecord, 'channelOrder' | 'variants'>,
  accounts: ReadonlyMap<BroadcastChannel, LoadedAccount>,
  contact: PlannedContact,
  windowOpen: (account: LoadedAccount, chatId: string) => boolean,
): RecipientPlan {
  let optedOut = false;
  let outsideWindow = false;
  for (const channel of broadcast.channelOrder) {
    const account = accounts.get(channel);
    if (!broadcast.variants[channel] || !account) continue;
    const chatId = chatIdOn(contact, channel, account);
    if (!chatId) continue;
    if (contact.consent?.[channel]?.status === 'opted-out') {
      optedOut = true;
      continue;
    }
    if (channel === 'whatsapp' && !broadcast.variants.whatsapp?.template && !windowOpen(account, chatId)) {
      outsideWindow = true;
      continue;
    }
    return { channel, account, chatId, whatsappWindowClosed: outsideWindow };
  }
  if (outsideWindow) return { skipReason: 'outside_whatsapp_window', whatsappWindowClosed: true };
  return { skipReason: optedOut ? 'opted_out' : 'unreachable', whatsappWindowClosed: false };
}
