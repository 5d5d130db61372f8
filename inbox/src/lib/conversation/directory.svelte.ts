import { getJson } from '../get-json';
import { loadUsers } from '../load-users';
import type { Page } from '../inbox-views';
import type { User } from '../sign-in';
import type { Colleague, Team } from './assignee-options';
import type { LabelCount } from './label-suggestions';

/**
 * The people, teams and labels the conversation actions offer, read once per session (labels
 * again after each change, as they are counted across conversations). Failing reads leave a list
 * empty: the pickers then offer less, and the server still checks every change.
 */
class Directory {
  users = $state<Colleague[]>([]);
  teams = $state<Team[]>([]);
  labels = $state<LabelCount[]>([]);
  /** The signed-in user: "assign to me", and their own typing left out. The app frame sets it. */
  me = $state<{ id: string; name: string; role: Colleague['role'] }>();
  private started = false;

  /** The frame's signed-in user, known since sign-in: asking the server again would only repeat it. */
  signedIn(user: Pick<User, 'id' | 'name' | 'role'>): void {
    this.me = { id: user.id, name: user.name, role: user.role };
  }

  /** Signed out: the next user reads their own lists (whom they may see differs by role and team). */
  reset(): void {
    this.started = false;
    this.me = undefined;
    this.users = [];
    this.teams = [];
    this.labels = [];
  }

  load(): void {
    if (this.started) return;
    this.started = true;
    // The one reader of the staff list (it follows the cursor): pickers offer the active ones.
    loadUsers()
      .then((users) => (this.users = users.filter((user) => user.active)))
      .catch(() => undefined);
    getJson<Page<Team>>('/api/v1/teams?limit=200')
      .then((page) => (this.teams = page.items))
      .catch(() => undefined);
    this.refreshLabels();
  }

  refreshLabels(): void {
    getJson<{ items: LabelCount[] }>('/api/v1/conversation-labels')
      .then((answer) => (this.labels = answer.items))
      .catch(() => undefined);
  }

  userName(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.users.find((user) => user.id === id)?.name;
  }

  teamName(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.teams.find((team) => team.id === id)?.name;
  }
}

export const directory = new Directory();
