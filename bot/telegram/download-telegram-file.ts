import { GrammyError, HttpError, type Api } from 'grammy';
import type { File } from 'grammy/types';
import { Readable } from 'node:stream';
import type { DownloadedMedia } from '../channels/channel-adapter.js';
import { TelegramDownloadError } from './telegram-download-error.js';

/** Content types that say nothing about the file: the parsed message's own mime type is better. */
const GENERIC_TYPES = new Set(['application/octet-stream', 'binary/octet-stream']);

/**
 * Fetches an inbound file: getFile turns the file_id into a path, which is then downloaded from
 * `<apiRoot>/file/bot<token>/<file_path>` (https://core.telegram.org/bots/api#getfile). grammy's core
 * has no download call, so that second request is a plain fetch.
 */
export async function downloadTelegramFile(
  api: Api,
  apiRoot: string,
  token: string,
  fileId: string,
): Promise<DownloadedMedia> {
  const file = await getFile(api, fileId);
  // Without a path the file is over the 20 MB bots may download.
  if (!file.file_path) throw new TelegramDownloadError(`Telegram gives no download path for file ${fileId}`, false);
  let response: Response;
  try {
    response = await fetch(`${apiRoot}/file/bot${token}/${file.file_path}`);
  } catch (error) {
    throw new TelegramDownloadError('Telegram could not be reached to download a file', true, { cause: error });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new TelegramDownloadError(
      `Telegram answered ${response.status} to a file download`,
      response.status === 429 || response.status >= 500,
    );
  }
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const media: DownloadedMedia = { body: Readable.fromWeb(response.body) };
  if (contentType && !GENERIC_TYPES.has(contentType)) media.mimeType = contentType;
  const size = file.file_size ?? (Number.isInteger(length) ? length : undefined);
  if (size !== undefined) media.size = size;
  return media;
}

async function getFile(api: Api, fileId: string): Promise<File> {
  try {
    return await api.getFile(fileId);
  } catch (error) {
    const retryable =
      error instanceof HttpError ||
      (error instanceof GrammyError && (error.error_code === 429 || error.error_code >= 500));
    const reason = error instanceof Error ? error.message : String(error);
    throw new TelegramDownloadError(`Telegram getFile failed: ${reason}`, retryable, { cause: error });
  }
}
