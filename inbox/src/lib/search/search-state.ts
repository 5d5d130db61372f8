/** What a search is: the words, the filters and the conversation opened from its results. */
export interface SearchState {
  q: string;
  channel?: string;
  status?: string;
  /** 'unassigned' or a user's id. */
  assignee?: string;
  teamId?: string;
  label?: string;
  /** `<pipeline id>:<stage id>`: stage ids repeat across pipelines. */
  stage?: string;
  /** Days, `YYYY-MM-DD`, both included. */
  from?: string;
  to?: string;
  /** The conversation whose timeline is open. */
  open?: string;
}

const FIELDS = ['q', 'channel', 'status', 'assignee', 'teamId', 'label', 'stage', 'from', 'to', 'open'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The state as the hash's item (`#/search/<item>`), so a search can be shared as a link. */
export function searchStateToItem(state: SearchState): string | undefined {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = state[field]?.trim();
    if (value) params.set(field, value);
  }
  const text = params.toString();
  return text || undefined;
}

/** Reads a shared link's item back; anything unknown or malformed is dropped. */
export function searchStateFromItem(item: string | undefined): SearchState {
  const params = new URLSearchParams(item ?? '');
  const state: SearchState = { q: params.get('q')?.trim() ?? '' };
  for (const field of FIELDS) {
    if (field === 'q') continue;
    const value = params.get(field)?.trim();
    if (!value) continue;
    if ((field === 'from' || field === 'to') && !DAY.test(value)) continue;
    state[field] = value;
  }
  return state;
}

/**
 * The API query for the state (GET /api/v1/search/messages), or undefined while there are no
 * words to look for. Days become the whole local day: from its first to its last millisecond.
 */
export function searchQuery(state: SearchState, limit = 50): URLSearchParams | undefined {
  if (!state.q.trim()) return undefined;
  const params = new URLSearchParams({ q: state.q.trim(), limit: String(limit) });
  for (const field of ['channel', 'status', 'assignee', 'teamId', 'label'] as const) {
    const value = state[field];
    if (value) params.set(field, value);
  }
  if (state.stage) {
    const [pipelineId, stageId] = state.stage.split(':');
    if (pipelineId && stageId) {
      params.set('pipelineId', pipelineId);
      params.set('stageId', stageId);
    }
  }
  if (state.from) params.set('from', new Date(`${state.from}T00:00:00`).toISOString());
  if (state.to) params.set('to', new Date(`${state.to}T23:59:59.999`).toISOString());
  return params;
}
