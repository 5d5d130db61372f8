import { getJson } from '../get-json';
import { loadUsers } from '../load-users';
import type { Page } from '../inbox-views';
import { restoreSession } from '../sign-in';
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
  /** The signed-in user: "assign to me", and their own typing left out. */
  me = $state<{ id: string; name: string; role: Colleague['role'] }>();
  private started = false;

  load(): void {
    if (this.started) return;
    this.started = true;
    void restoreSession().then((session) => {
      if (session) this.me = { id: session.user.id, name: session.user.name, role: session.user.role };
    });
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
