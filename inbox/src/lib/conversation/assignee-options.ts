/** A user as `GET /users` lists them, as far as the assignee picker needs. */
export interface Colleague {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'manager' | 'operator' | 'marketer';
  teamIds: string[];
  active: boolean;
}

export interface Team {
  id: string;
  name: string;
}

/**
 * Who may be given a conversation of these teams, the way the server checks it: active people
 * who answer conversations (not marketers) and see it (managers and admins see all, operators
 * their teams'). Matching what was typed (name or e-mail), the user first, then by name.
 */
export function assigneeCandidates(
  users: readonly Colleague[],
  conversationTeamIds: readonly string[],
  myId: string | undefined,
  typed: string,
): Colleague[] {
  const wanted = typed.trim().toLocaleLowerCase();
  return users
    .filter((user) => user.active && user.role !== 'marketer')
    .filter(
      (user) =>
        user.role === 'admin' ||
        user.role === 'manager' ||
        user.teamIds.some((teamId) => conversationTeamIds.includes(teamId)),
    )
    .filter(
      (user) =>
        wanted === '' ||
        user.name.toLocaleLowerCase().includes(wanted) ||
        user.email.toLocaleLowerCase().includes(wanted),
    )
    .sort((a, b) => Number(b.id === myId) - Number(a.id === myId) || a.name.localeCompare(b.name));
}

/** Teams matching what was typed, by name. */
export function teamCandidates(teams: readonly Team[], typed: string): Team[] {
  const wanted = typed.trim().toLocaleLowerCase();
  return teams
    .filter((team) => wanted === '' || team.name.toLocaleLowerCase().includes(wanted))
    .sort((a, b) => a.name.localeCompare(b.name));
}
