import { getJson } from '../get-json.js';
import type { ContactView, Page } from '../inbox-views.js';
import { sendJson, type SendResult } from '../send-json.js';

const contactUrl = (id: string, action = '') => `/api/v1/contacts/${encodeURIComponent(id)}${action}`;

/** What the sidebar does to a contact: change it (fields, lists, tags) and merge a duplicate into it. */
export const contactActions = {
  change(id: string, patch: Record<string, unknown>, csrfToken?: string): Promise<SendResult<ContactView>> {
    return sendJson('PATCH', contactUrl(id), patch, csrfToken);
  },
  /** Merges `sourceId` into `id`; the answer is the survivor with the duplicate's phones, e-mails and channels. */
  merge(id: string, sourceId: string, csrfToken?: string): Promise<SendResult<ContactView>> {
    return sendJson('POST', contactUrl(id, '/merge'), { sourceId }, csrfToken);
  },
  /** Other contacts matching what was typed (names, phones in any format, e-mails). */
  async search(q: string, exceptId: string, signal?: AbortSignal): Promise<ContactView[]> {
    const page = await getJson<Page<ContactView>>(`/api/v1/contacts?limit=8&q=${encodeURIComponent(q)}`, signal);
    return page.items.filter((contact) => contact.id !== exceptId);
  },
};
