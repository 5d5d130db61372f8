import type { ChannelItem } from './crm-views.js';

/**
 * The site chat's embed code to paste before `</body>`: the server's own `embedCode`, built from
 * PUBLIC_URL; for an account read without one, the same tag built from this app's address.
 */
export function widgetSnippet(channel: Pick<ChannelItem, 'id' | 'type' | 'embedCode'>, origin: string): string {
  if (channel.type !== 'webchat') return '';
  if (channel.embedCode) return channel.embedCode;
  const base = origin.replace(/\/$/, '');
  return `<script src="${base}/widget.js" data-channel="${channel.id}" async></script>`;
}
