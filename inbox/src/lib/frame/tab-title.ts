/**
 * The browser tab's title with the count of new messages in front, as mail and chat apps show
 * it ("(3) Входящие · Funnel Inbox"), so a background tab tells that someone wrote.
 */
export function withUnreadCount(title: string, count: number): string {
  if (!Number.isFinite(count) || count <= 0) return title;
  return `(${count > 99 ? '99+' : Math.floor(count)}) ${title}`;
}
