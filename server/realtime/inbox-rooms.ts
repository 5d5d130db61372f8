import type { AuthUser } from '../api/define-route.js';
import { seesEverything } from '../auth/permissions.js';

/** Rooms of the /inbox namespace: everything (managers, admins), a team's, a user's own. */
export const ALL_ROOM = 'inbox:all';
export const teamRoom = (teamId: string) => `inbox:team:${teamId}`;
export const userRoom = (userId: string) => `inbox:user:${userId}`;

/** The rooms a signed-in user's sockets join. */
export function roomsOfUser(user: AuthUser): string[] {
  return [userRoom(user.id), ...(seesEverything(user.role) ? [ALL_ROOM] : user.teamIds.map(teamRoom))];
}

/** The rooms that may see a conversation: the same rule as the REST API's conversation scope. */
export function roomsOfConversation(conversation: { teamIds: string[]; assigneeId?: string }): string[] {
  return [
    ALL_ROOM,
    ...conversation.teamIds.map(teamRoom),
    ...(conversation.assigneeId ? [userRoom(conversation.assigneeId)] : []),
  ];
}
