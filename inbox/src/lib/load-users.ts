import type { UserItem } from './crm-views';
import { getJson } from './get-json';
import type { Page } from './inbox-views';

/**
 * Every user, active and not, by following the list's cursor: a company's staff is a few dozen
 * people, and assignee pickers and names need them all.
 */
export async function loadUsers(): Promise<UserItem[]> {
  const users: UserItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await getJson<Page<UserItem>>(
      `/api/v1/users?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    users.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return users;
}
