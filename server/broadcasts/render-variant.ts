import sanitizeHtml from 'sanitize-html';
import type { OutboundMedia, OutboundMessage } from '../../bot/channels/channel-events.js';
import { renderTemplate, type RenderOptions } from '../../flows/engine/render-template.js';
import type { ContactRecord } from '../contacts/contact-models.js';
import type { BroadcastChannel, BroadcastVariants } from './broadcast-model.js';

export type RenderedContact = Pick<
  ContactRecord,
  'name' | 'phones' | 'emails' | 'region' | 'tags' | 'customFields' | 'language'
>;

/** What `{{contact.…}}` placeholders read: the names a marketer types in the composer. */
function contactScope(contact: RenderedContact) {
  const name = contact.name.trim();
  return {
    contact: {
      name,
      firstName: name.split(/\s+/)[0] ?? '',
      phone: contact.phones[0]?.e164 ?? '',
      email: contact.emails[0] ?? '',
      region: contact.region ?? '',
      tags: contact.tags,
      fields: contact.customFields,
      customFields: contact.customFields,
    },
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A contact's own data inside the HTML part is text, never markup: a name like `<b>` stays visible as typed. */
function escaped(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
  if (Array.isArray(value)) return value.map(escaped);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, escaped(inner)]));
  return value;
}

/**
 * The broadcast's message for one recipient on one channel, personalised
 * (`{{contact.name | default: друг}}`). WhatsApp gets its free text inside the 24-hour window
 * and the approved template outside it (or when there is no text).
 */
export function renderVariant(
  variants: BroadcastVariants,
  channel: BroadcastChannel,
  contact: RenderedContact,
  options: RenderOptions & { whatsappWindowOpen: boolean; media?: OutboundMedia; unsubscribeUrl?: string },
): OutboundMessage {
  const scope = contactScope(contact);
  const render = (text: string) => renderTemplate(text, scope, options);
  switch (channel) {
    case 'telegram': {
      const variant = variants.telegram!;
      return {
        text: render(variant.text),
        ...(options.media ? { media: options.media } : {}),
        ...(variant.buttons?.length
          ? {
              buttons: variant.buttons.map((button, index) => ({
                id: `link-${index}`,
                text: button.text,
                url: button.url,
              })),
            }
          : {}),
      };
    }
    case 'whatsapp': {
      const variant = variants.whatsapp!;
      if (variant.text && (options.whatsappWindowOpen || !variant.template)) return { text: render(variant.text) };
      const template = variant.template!;
      return { template: { ...template, parameters: template.parameters.map(render) } };
    }
    case 'sms':
      return { text: render(variants.sms!.text) };
    case 'webchat':
      return { text: render(variants.webchat!.text) };
    case 'email': {
      const variant = variants.email!;
      const html = renderTemplate(variant.html, escaped(scope) as typeof scope, options);
      const text = variant.text
        ? render(variant.text)
        : sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
            .replace(/\n{3,}/g, '\n\n')
            .trim();
      return {
        text,
        email: { subject: render(variant.subject), html },
        ...(options.unsubscribeUrl ? { unsubscribeUrl: options.unsubscribeUrl } : {}),
      };
    }
  }
}
