import type { StoredConsent } from '../contacts/contact-models.js';
import type { Channel } from '../contacts/normalize-identity.js';

/** A channel as the timeline names it: "Отписался от …" (genitive), "подписался на …" (accusative), English. */
const NAMES: Record<Channel, { from: string; to: string; en: string }> = {
  telegram: { from: 'Telegram', to: 'Telegram', en: 'Telegram' },
  whatsapp: { from: 'WhatsApp', to: 'WhatsApp', en: 'WhatsApp' },
  webchat: { from: 'чата на сайте', to: 'чат на сайте', en: 'the site chat' },
  vk: { from: 'ВКонтакте', to: 'ВКонтакте', en: 'VK' },
  sms: { from: 'SMS', to: 'SMS', en: 'SMS' },
  email: { from: 'e-mail', to: 'e-mail', en: 'e-mail' },
  voice: { from: 'звонков', to: 'звонки', en: 'calls' },
  phone: { from: 'звонков', to: 'звонки', en: 'calls' },
};

export interface ConsentNoteInput {
  channel: Channel;
  status: StoredConsent['status'];
  via: NonNullable<StoredConsent['via']>;
  keyword?: string;
}

/** The system note a consent change leaves on the contact's timeline, Russian first, then English. */
export function consentNoteText({ channel, status, via, keyword }: ConsentNoteInput): string {
  const name = NAMES[channel];
  const out = status === 'opted-out';
  switch (via) {
    case 'keyword':
      return out
        ? `Отписался от ${name.from} ответом «${keyword}»: сообщения туда ему больше не отправляются / ` +
            `Opted out of ${name.en} by replying “${keyword}”: nothing more is sent to them there`
        : `Снова подписался на ${name.to} ответом «${keyword}» / Opted back in to ${name.en} by replying “${keyword}”`;
    case 'link':
      return out
        ? `Отписался от ${name.from} по ссылке в письме: сообщения туда ему больше не отправляются / ` +
            `Unsubscribed from ${name.en} with the link in a mail: nothing more is sent to them there`
        : `Снова подписался на ${name.to} по ссылке / Opted back in to ${name.en} with a link`;
    case 'block':
      return out
        ? `Заблокировал нас в ${name.en}: сообщения туда не отправляются, пока он не разблокирует / ` +
            `Blocked us on ${name.en}: nothing is sent there until they unblock`
        : `Разблокировал нас в ${name.en}: сообщения туда снова можно отправлять / ` +
            `Unblocked us on ${name.en}: messages can be sent there again`;
  }
}
