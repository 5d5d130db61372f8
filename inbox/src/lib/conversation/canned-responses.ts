import { getJson } from '../get-json';
import type { Page } from '../inbox-views';
import type { CannedResponse } from './canned-filter';
import { sendJson } from '../send-json';

/** The canned responses the operator may use (personal, their teams', everyone's), read when the popup first opens. */
export function loadCannedResponses(): Promise<CannedResponse[]> {
  return getJson<Page<CannedResponse>>('/api/v1/canned-responses?limit=200').then((page) => page.items);
}

/** The response's text for this conversation, in the contact's language with its variables filled in. */
export async function renderCannedResponse(
  responseId: string,
  conversationId: string,
  csrfToken?: string,
): Promise<string | undefined> {
  const result = await sendJson<{ text: string }>(
    'POST',
    `/api/v1/canned-responses/${encodeURIComponent(responseId)}/render`,
    { conversationId },
    csrfToken,
  );
  return result.ok ? result.data.text : undefined;
}
