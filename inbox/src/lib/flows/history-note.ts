import { historyRu } from '../messages/history.js';
import type { FlowRun } from './flow-views.js';

type HistoryEntry = FlowRun['history'][number];
type HistoryKey = keyof typeof historyRu;

/** How the reader's inbox words the values an entry carries: dates, event types, channels, exit reasons. */
export interface HistoryWords {
  when(iso: string): string;
  event(type: string): string;
  channel(type: string): string;
  exitReason(reason: string): string;
  /** A pipeline and stage as a flow file names them (keys) in the names people gave them. */
  stage(pipeline: string, stage: string): { pipeline: string; stage: string };
}

const isHistoryKey = (key: string): key is HistoryKey => key in historyRu;

/**
 * The message for a history entry in the reader's language, its dates in their time zone. An
 * entry without a code (recorded by an older server) or with one this inbox has no words for (a
 * newer server) keeps the server's English line.
 */
export function historyNote(
  entry: HistoryEntry,
  words: HistoryWords,
): { key: HistoryKey; params: Record<string, string | number> } | { text: string } {
  const key = `flows.history.${entry.code ?? ''}`;
  if (!entry.code || !isHistoryKey(key)) return { text: entry.result };
  const params: Record<string, string | number> = { ...entry.params };
  for (const name of ['at', 'due']) {
    const value = params[name];
    if (typeof value === 'string') params[name] = words.when(value);
  }
  if (typeof params.event === 'string') params.event = words.event(params.event);
  if (typeof params.channel === 'string') params.channel = words.channel(params.channel);
  if ((entry.code === 'moved' || entry.code === 'copied') && typeof params.pipeline === 'string') {
    const named = words.stage(params.pipeline, String(params.stage ?? ''));
    params.pipeline = named.pipeline;
    params.stage = named.stage;
  }
  if (entry.code === 'exited') {
    const reason = words.exitReason(String(params.reason ?? ''));
    params.reason = params.reason === 'goal' && params.goal ? `${reason} (${params.goal})` : reason;
  }
  return { key, params };
}
