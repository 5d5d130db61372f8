import type { Channel } from '../contacts/normalize-identity.js';

export type PageLanguage = 'ru' | 'en';

/** What the page says: ask to confirm, done, or the link is wrong. */
export type UnsubscribePage =
  { type: 'confirm'; channel: Channel; action: string } | { type: 'done'; channel: Channel } | { type: 'invalid' };

const WHERE: Record<Channel, Record<PageLanguage, string>> = {
  email: { ru: 'по e-mail', en: 'by e-mail' },
  sms: { ru: 'по SMS', en: 'by SMS' },
  telegram: { ru: 'в Telegram', en: 'on Telegram' },
  whatsapp: { ru: 'в WhatsApp', en: 'on WhatsApp' },
  vk: { ru: 'во ВКонтакте', en: 'on VK' },
  webchat: { ru: 'в чате на сайте', en: 'in the site chat' },
  voice: { ru: 'по телефону', en: 'by phone' },
  phone: { ru: 'по телефону', en: 'by phone' },
};

const TEXT = {
  ru: {
    title: 'Отписка от рассылки',
    confirm: (where: string) => `Больше не присылать вам рассылки ${where}? Отписаться можно одним нажатием.`,
    button: 'Отписаться',
    done: (where: string) => `Готово: рассылки ${where} вам больше не придут.`,
    invalid: 'Ссылка повреждена: откройте её из письма целиком или ответьте на письмо словом «Отписаться».',
  },
  en: {
    title: 'Unsubscribe',
    confirm: (where: string) => `Stop sending you our mailings ${where}? One click unsubscribes you.`,
    button: 'Unsubscribe',
    done: (where: string) => `Done: you will get no more mailings ${where}.`,
    invalid: 'This link is damaged: open it whole from the mail, or reply to the mail with the word “Unsubscribe”.',
  },
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The small public page of an unsubscribe link (server/consent/unsubscribe-router.ts), in one language. */
export function renderUnsubscribePage(page: UnsubscribePage, language: PageLanguage): string {
  const text = TEXT[language];
  let body: string;
  switch (page.type) {
    case 'confirm':
      // The form posts what a mail program's one-click unsubscribe posts (RFC 8058 3.1), so both take one path.
      body =
        `<p>${escapeHtml(text.confirm(WHERE[page.channel][language]))}</p>` +
        `<form method="post" action="${escapeHtml(page.action)}">` +
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
        `<button type="submit">${escapeHtml(text.button)}</button></form>`;
      break;
    case 'done':
      body = `<p>${escapeHtml(text.done(WHERE[page.channel][language]))}</p>`;
      break;
    case 'invalid':
      body = `<p>${escapeHtml(text.invalid)}</p>`;
      break;
  }
  return (
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(text.title)}</title><style>` +
    'body{font:16px/1.5 system-ui,sans-serif;color:#111827;max-width:32rem;margin:4rem auto;padding:0 1rem}' +
    'button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:.4rem;background:#2563eb;color:#fff;cursor:pointer}' +
    `</style></head><body><h1>${escapeHtml(text.title)}</h1>${body}</body></html>`
  );
}
