/**
 * Where the follow-ups tab of the Campaigns section is (`#/campaigns/follow-ups/<what>`): the
 * list, the form of a new one, or one campaign. Undefined for the section's other tabs.
 */
export type FollowUpRoute = { type: 'follow-ups' } | { type: 'follow-up-new' } | { type: 'follow-up'; id: string };

export function followUpRoute(item: string | undefined): FollowUpRoute | undefined {
  const [area, id] = (item ?? '').split('/');
  if (area !== 'follow-ups') return undefined;
  if (!id) return { type: 'follow-ups' };
  return id === 'new' ? { type: 'follow-up-new' } : { type: 'follow-up', id };
}

export function followUpHref(route: FollowUpRoute): string {
  switch (route.type) {
    case 'follow-ups':
      return '#/campaigns/follow-ups';
    case 'follow-up-new':
      return '#/campaigns/follow-ups/new';
    case 'follow-up':
      return `#/campaigns/follow-ups/${encodeURIComponent(route.id)}`;
  }
}
