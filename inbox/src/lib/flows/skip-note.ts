import { apiErrorWording } from '../api-error-wording.js';
import { historyRu } from '../messages/history.js';
import type { errorsRu } from '../messages/errors.js';
import type { FlowRun } from './flow-views.js';

type SkipEntry = FlowRun['skipped'][number];
type HistoryKey = keyof typeof historyRu;
type Wording = { key: HistoryKey | keyof typeof errorsRu; params?: Record<string, string | number> } | { text: string };

const isHistoryKey = (key: string): key is HistoryKey => key in historyRu;

/** The name of the effect that was not performed, e.g. «перенос сделки»; unknown types stay as they are. */
export function effectWording(effect: string): Wording {
  const key = `flows.effect.${effect}`;
  return isHistoryKey(key) ? { key } : { text: effect };
}

/**
 * Why an effect was skipped, in the reader's language. A refusal carries the API's error code and
 * message, worded as the inbox words the same refusal of a person's request; an entry without a
 * code (an older server) or with one this inbox does not know keeps the server's English line.
 */
export function skipWording(entry: SkipEntry, locale: 'ru' | 'en'): Wording {
  if (entry.code === 'refused') {
    const wording = apiErrorWording({ status: 400, code: entry.params?.code, message: entry.params?.message }, locale);
    return wording ?? { text: entry.reason };
  }
  const key = `flows.skip.${entry.code ?? ''}`;
  if (!entry.code || !isHistoryKey(key)) return { text: entry.reason };
  return { key, ...(entry.params ? { params: entry.params } : {}) };
}
