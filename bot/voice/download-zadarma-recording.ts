import { Readable } from 'node:stream';
import { z } from 'zod';
import type { DownloadedMedia } from '../channels/channel-adapter.js';
import { callZadarmaApi, type ZadarmaTarget } from './call-zadarma-api.js';
import { ZadarmaApiError } from './zadarma-api-error.js';

const FILE_TIMEOUT_MS = 120_000;

const recordSchema = z.object({ link: z.url() });

/**
 * A call's recording: `pbx/record/request` with the recording's call id gives a temporary link
 * (https://zadarma.com/en/support/api/#api_pbx_record_request), asked for on every download since a
 * stored one expires, and the file is read from it.
 */
export async function downloadZadarmaRecording(
  target: ZadarmaTarget,
  callIdWithRecord: string,
): Promise<DownloadedMedia> {
  const answer = recordSchema.safeParse(
    await callZadarmaApi(target, '/v1/pbx/record/request/', { call_id: callIdWithRecord }),
  );
  if (!answer.success) throw new ZadarmaApiError(`Zadarma gave no link to recording ${callIdWithRecord}`);
  let file: Response;
  try {
    file = await fetch(answer.data.link, { signal: AbortSignal.timeout(FILE_TIMEOUT_MS) });
  } catch (error) {
    throw new ZadarmaApiError(`The recording ${callIdWithRecord} could not be fetched`, { cause: error });
  }
  if (!file.ok || !file.body) {
    throw new ZadarmaApiError(`The recording ${callIdWithRecord} answered HTTP ${file.status}`, {
      httpStatus: file.status,
      retryable: file.status >= 500,
    });
  }
  return { body: Readable.fromWeb(file.body), mimeType: 'audio/mpeg', fileName: `${callIdWithRecord}.mp3` };
}
