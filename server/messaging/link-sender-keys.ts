import type { InboundMessageEvent, Sender } from '../../bot/channels/channel-events.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import type { IngestServices } from './ingest-events.js';
import { resolveSenderContact } from './resolve-sender-contact.js';

/**
 * A person already in a conversation who now gives a phone or an e-mail (a Telegram user sharing
 * their own contact card) gets it on their contact, so a later SMS or call from that number finds
 * them instead of making a second contact. A chat's first message does this while opening the
 * conversation; this is for the messages after it. Best effort: the message is stored already, and
 * a key another contact holds stays there (a merge is an operator's call), logged.
 */
export async function linkSenderKeys(
  services: IngestServices,
  items: { account: LoadedAccount; event: InboundMessageEvent }[],
): Promise<void> {
  const giving = items.filter(({ event }) => givesNewKey(event.from));
  await Promise.all(
    giving.map(async ({ account, event }) => {
      try {
        await resolveSenderContact(services, account, event.from, { at: event.sentAt });
      } catch (error) {
        services.logger.warn(
          { err: error, channel: account.id, sender: event.from.externalId },
          "the sender's phone or e-mail could not be added to their contact",
        );
      }
    }),
  );
}

const digits = (value: string) => value.replace(/\D/g, '');

/**
 * A phone or e-mail that is more than the sender's channel id spelled again: WhatsApp and SMS
 * name a sender by their number and e-mail by their address, which their identity carries already.
 */
function givesNewKey(sender: Sender): boolean {
  const id = sender.externalId.toLowerCase();
  const newPhone = sender.phone !== undefined && digits(sender.phone) !== digits(id);
  const newEmail = sender.email !== undefined && sender.email.toLowerCase() !== id;
  return newPhone || newEmail;
}
