import type { VisitorMessage } from '../../visitor-message.js';
import type { Locale } from '../../visitor-payloads.js';
import { h } from './h.js';
import { icon } from './icon.js';
import type { WidgetStrings } from './widget-strings.js';

/** A message in the list: stored ones come from the server, `local` ones wait for their ack. */
export type ShownMessage = VisitorMessage & { local?: { state: 'sending' | 'failed'; retry?: () => void } };

export interface MessageViewContext {
  strings: WidgetStrings;
  locale: Locale;
  serverOrigin: string;
  /** The company side changed speaker: name them above the bubble. */
  showAuthor: boolean;
}

const LINK = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)])/g;

/** Text with its links clickable; everything stays a text node, nothing is parsed as HTML. */
function linkified(text: string): Node[] {
  return text
    .split(LINK)
    .map((part, index) =>
      index % 2 === 1
        ? h('a', { href: part, target: '_blank', rel: 'noopener noreferrer' }, part)
        : document.createTextNode(part),
    );
}

/** A file URL from the server may be relative to it, never to the site; and only http(s) may become a link. */
function safeUrl(url: string, serverOrigin: string): string | undefined {
  try {
    const resolved = new URL(url, serverOrigin);
    return resolved.protocol === 'https:' || resolved.protocol === 'http:' ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}

function mediaView(media: NonNullable<VisitorMessage['media']>, serverOrigin: string): HTMLElement | undefined {
  const url = safeUrl(media.url, serverOrigin);
  if (!url) return undefined;
  if (media.kind === 'image' || media.kind === 'sticker') {
    return h(
      'a',
      { class: 'media-image', href: url, target: '_blank', rel: 'noopener noreferrer' },
      h('img', { src: url, alt: media.fileName, loading: 'lazy' }),
    );
  }
  const link = h('a', {
    class: 'media-file',
    href: url,
    target: '_blank',
    rel: 'noopener noreferrer',
    download: media.fileName,
  });
  link.append(icon('file', 18), h('span', {}, media.fileName));
  return link;
}

export function authorName(message: VisitorMessage, strings: WidgetStrings): string {
  if (message.author?.name) return message.author.name;
  return message.author?.kind === 'bot' ? strings.bot : strings.operator;
}

export function messageView(message: ShownMessage, context: MessageViewContext): HTMLElement {
  const { strings } = context;
  const fromVisitor = message.direction === 'in';
  const bubble = h('div', { class: 'bubble' });
  if (message.media) {
    const media = mediaView(message.media, context.serverOrigin);
    if (media) bubble.append(media);
  }
  if (message.text) bubble.append(h('p', { class: 'text' }, ...linkified(message.text)));

  const time = new Date(message.createdAt).toLocaleTimeString(context.locale === 'ru' ? 'ru-RU' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  });
  const meta = h('span', { class: 'meta' });
  if (message.local?.state === 'sending') meta.append(icon('clock', 12), strings.sending);
  else if (message.local?.state === 'failed') meta.append(icon('alert', 12), strings.failed);
  else meta.append(h('time', { datetime: message.createdAt }, time));
  bubble.append(meta);

  const item = h(
    'div',
    {
      class: `message ${fromVisitor ? 'from-visitor' : 'from-company'}${message.local ? ` ${message.local.state}` : ''}`,
    },
    context.showAuthor && !fromVisitor && h('span', { class: 'author' }, authorName(message, strings)),
    bubble,
  );
  const retry = message.local?.retry;
  if (message.local?.state === 'failed' && retry) {
    const button = h('button', { type: 'button', class: 'retry' }, strings.retry);
    button.addEventListener('click', retry);
    item.append(button);
  }
  return item;
}
