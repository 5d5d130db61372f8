import { mountChatWidget } from './chat-widget.js';
import { pickLocale } from './pick-locale.js';

/**
 * The site pastes `<script src="https://inbox.example/widget.js" data-channel="…" async>`: the
 * channel comes from the tag, the server from the tag's own address.
 */
function findOwnScript(): HTMLScriptElement | undefined {
  // currentScript is set while a classic script first runs, async ones included.
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.channel) return current;
  return document.querySelector<HTMLScriptElement>('script[data-channel][src*="widget.js"]') ?? undefined;
}

function start(script: HTMLScriptElement): void {
  const channelId = script.dataset.channel;
  if (!channelId) {
    console.warn('Funnel Inbox chat: the script tag needs data-channel="<channel id>"');
    return;
  }
  // A second copy of the tag (a tag manager firing twice) must not make a second widget.
  if (document.querySelector(`funnel-chat-widget[data-channel="${CSS.escape(channelId)}"]`)) return;
  mountChatWidget({ channelId, serverOrigin: new URL(script.src, location.href).origin, locale: pickLocale() });
}

const script = findOwnScript();
if (script) {
  if (document.body) start(script);
  else document.addEventListener('DOMContentLoaded', () => start(script), { once: true });
}
