import type { InboundRequest } from '../../bot/channels/channel-adapter.js';

/** A provider's webhook as built: what it signed for, and the exact bytes and headers it sends. */
export interface ProviderWebhook {
  /** The address the provider was given (the one Twilio signs). */
  url: string;
  headers: Record<string, string>;
  rawBody: Buffer;
}

export interface WebhookAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Posts a provider's webhook to its address, or through `via` (the app's own address) when the
 * address given to the provider is a public one in front of it: the path stays, the host is the
 * one behind the proxy, as a reverse proxy forwards it.
 */
export async function postWebhook(webhook: ProviderWebhook, via?: string): Promise<WebhookAnswer> {
  const target = via ? new URL(`${new URL(webhook.url).pathname}${new URL(webhook.url).search}`, via) : webhook.url;
  const response = await fetch(target, { method: 'POST', headers: webhook.headers, body: webhook.rawBody });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** The webhook as the adapter sees it once it has arrived at its own address. */
export function asInboundRequest(webhook: ProviderWebhook): InboundRequest {
  return {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(webhook.headers).map(([name, value]) => [name.toLowerCase(), value])),
    query: {},
    rawBody: webhook.rawBody,
    urls: [webhook.url],
  };
}

/** An application/x-www-form-urlencoded body of ordered fields, as providers post them. */
export function formBody(fields: [string, string][]): Buffer {
  return Buffer.from(new URLSearchParams(fields).toString());
}
