import { Readable } from 'node:stream';
import type { DownloadedMedia } from '../channels/channel-adapter.js';
import { FILE_TIMEOUT_MS } from './call-vk-api.js';
import { VkDownloadError } from './vk-download-error.js';

/** Content types that say nothing about the file: the parsed message's own mime type is better. */
const GENERIC_TYPES = new Set(['application/octet-stream', 'binary/octet-stream']);
const MAX_REDIRECTS = 5;

/**
 * Fetches an inbound file by the link its attachment carried (a photo size's `url`, a document's
 * `url`, a voice message's `link_ogg`): VK's file links need no token. VK serves files over HTTPS
 * only, so plain HTTP is followed only to the API's own origin (a local stand-in or proxy), which
 * keeps a link from reaching plain-HTTP services inside the network.
 */
export async function downloadVkMedia(apiRoot: string, fileRef: string): Promise<DownloadedMedia> {
  const response = await fetchFollowing(new URL(apiRoot).origin, linkOf(fileRef));
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    // An expired or deleted file is 404/410 for good; VK's own trouble may pass.
    const retryable = response.status === 429 || response.status >= 500;
    throw new VkDownloadError(`VK answered ${response.status} to a file download`, retryable);
  }
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const media: DownloadedMedia = { body: Readable.fromWeb(response.body) };
  if (contentType && !GENERIC_TYPES.has(contentType)) media.mimeType = contentType;
  if (Number.isInteger(length) && length >= 0) media.size = length;
  return media;
}

/** Document links redirect to the storage server; every hop is checked like the first. */
async function fetchFollowing(apiOrigin: string, first: URL): Promise<Response> {
  let url = first;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (url.protocol !== 'https:' && url.origin !== apiOrigin) {
      throw new VkDownloadError(`VK file links are HTTPS; refusing ${url.protocol}//${url.host}`, false);
    }
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(FILE_TIMEOUT_MS) });
    } catch (error) {
      throw new VkDownloadError('VK could not be reached to download a file', true, { cause: error });
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    url = linkOf(location, url);
  }
  throw new VkDownloadError('A VK file link redirected too many times', false);
}

function linkOf(link: string, base?: URL): URL {
  try {
    return new URL(link, base);
  } catch {
    throw new VkDownloadError('The VK file link is not a URL', false);
  }
}
