import type { Types } from 'mongoose';
import type { AuthUser } from '../api/define-route.js';
import { can, seesEverything } from '../auth/permissions.js';

/** Rooms of the /inbox namespace: everything (managers, admins), a team's, a user's own, campaigns. */
export const ALL_ROOM = 'inbox:all';
/** Those who run broadcasts (campaigns.manage) hear their progress. */
export const CAMPAIGNS_ROOM = 'inbox:campaigns';
export const teamRoom = (teamId: string) => `inbox:team:${teamId}`;
export const userRoom = (userId: string) => `inbox:user:${userId}`;

/** The rooms a signed-in user's sockets join. */
export function roomsOfUser(user: AuthUser): string[] {
  const runsCampaigns = can(user.role, 'campaigns.manage') && (user.tokenScopes?.includes('campaigns.manage') ?? true);
  return [
    userRoom(user.id),
    ...(seesEverything(user.role) ? [ALL_ROOM] : user.teamIds.map(teamRoom)),
    ...(runsCampaigns ? [CAMPAIGNS_ROOM] : []),
  ];
}

/**
 * The rooms that may see a conversation (its view, or its stored record): the same rule as the
 * REST API's conversation scope.
 */
export function roomsOfConversation(conversation: {
  teamIds: (string | Types.ObjectId)[];
  assigneeId?: string | Types.ObjectId;
}): string[] {
  return [
    ALL_ROOM,
    ...conversation.teamIds.map((id) => teamRoom(String(id))),
    ...(conversation.assigneeId ? [userRoom(String(conversation.assigneeId))] : []),
  ];
}

/** The rooms that may see a contact (and its timeline): the same rule as the REST API's contact scope. */
export function roomsOfContact(contact: { teamIds: Types.ObjectId[]; ownerId?: Types.ObjectId }): string[] {
  return [
    ALL_ROOM,
    ...contact.teamIds.map((id) => teamRoom(String(id))),
    ...(contact.ownerId ? [userRoom(String(contact.ownerId))] : []),
  ];
}

/** The rooms that may see a deal: managers and admins see every deal, anyone else their own. */
export function roomsOfDeal(deal: { ownerId: string }): string[] {
  return [ALL_ROOM, userRoom(deal.ownerId)];
}
