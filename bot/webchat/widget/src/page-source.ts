import type { VisitorInbound } from '../../visitor-payloads.js';
import type { WidgetStorage } from './widget-storage.js';

type PageSource = NonNullable<VisitorInbound['page']>;

const UTM_FIELDS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

function utmOf(search: string): PageSource['utm'] {
  const params = new URLSearchParams(search);
  const utm: NonNullable<PageSource['utm']> = {};
  for (const field of UTM_FIELDS) {
    const value = params.get(`utm_${field}`);
    if (value) utm[field] = value.slice(0, 200);
  }
  return Object.keys(utm).length > 0 ? utm : undefined;
}

/**
 * Remembers the landing page's utm_* tags: the visitor often writes from a later page, which has
 * none, and the tags are what tells which campaign brought the lead.
 */
export function rememberLandingUtm(storage: WidgetStorage): void {
  const utm = utmOf(location.search);
  if (utm) storage.update({ utm });
}

/** The page the first message of this page view is written from; undefined off http(s) (the server refuses it). */
export function pageSource(storage: WidgetStorage): PageSource | undefined {
  if (location.protocol !== 'https:' && location.protocol !== 'http:') return undefined;
  // The server caps a URL at 2000 characters; a longer one loses its query rather than the message.
  const url = location.href.length <= 2000 ? location.href : `${location.origin}${location.pathname}`.slice(0, 2000);
  const utm = utmOf(location.search) ?? storage.read().utm;
  return {
    url,
    ...(document.referrer ? { referrer: document.referrer.slice(0, 2000) } : {}),
    ...(utm ? { utm } : {}),
  };
}
