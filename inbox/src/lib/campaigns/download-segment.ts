import { saveExport } from '../download-export';
import { languageHeader } from '../language-header';
import type { SendResult } from '../send-json';

/** Downloads a segment's contacts (`GET /segments/:id/export`, admins only, audited) as a file. */
export function downloadSegment(
  segmentId: string,
  format: 'csv' | 'xlsx',
  lang: 'ru' | 'en',
): Promise<SendResult<{ rows: number }>> {
  return saveExport(
    () =>
      fetch(`/api/v1/segments/${encodeURIComponent(segmentId)}/export?format=${format}&lang=${lang}`, {
        headers: languageHeader(),
      }),
    `segment.${format}`,
  );
}
