/**
 * Where the Campaigns section is (`#/campaigns/<what>`): the broadcasts list, the composer, one
 * broadcast, the segments list, the builder or one segment. The section's item carries the rest.
 */
export type CampaignRoute =
  | { type: 'broadcasts' }
  | { type: 'broadcast-new'; segmentId?: string }
  | { type: 'broadcast'; id: string }
  | { type: 'broadcast-edit'; id: string }
  | { type: 'segments' }
  | { type: 'segment-new' }
  | { type: 'segment'; id: string };

export function campaignRoute(item: string | undefined): CampaignRoute {
  const [area, id, action] = (item ?? '').split('/');
  if (area === 'segments') {
    if (id === 'new') return { type: 'segment-new' };
    return id ? { type: 'segment', id } : { type: 'segments' };
  }
  if (area === 'broadcasts' && id) {
    if (id === 'new') return { type: 'broadcast-new', ...(action ? { segmentId: action } : {}) };
    return action === 'edit' ? { type: 'broadcast-edit', id } : { type: 'broadcast', id };
  }
  return { type: 'broadcasts' };
}

/** The address of a place in the section: `#/campaigns/broadcasts/<id>`, `#/campaigns/segments/new`… */
export function campaignHref(route: CampaignRoute): string {
  switch (route.type) {
    case 'broadcasts':
      return '#/campaigns';
    case 'broadcast-new':
      return `#/campaigns/broadcasts/new${route.segmentId ? `/${encodeURIComponent(route.segmentId)}` : ''}`;
    case 'broadcast':
      return `#/campaigns/broadcasts/${encodeURIComponent(route.id)}`;
    case 'broadcast-edit':
      return `#/campaigns/broadcasts/${encodeURIComponent(route.id)}/edit`;
    case 'segments':
      return '#/campaigns/segments';
    case 'segment-new':
      return '#/campaigns/segments/new';
    case 'segment':
      return `#/campaigns/segments/${encodeURIComponent(route.id)}`;
  }
}
