import type { Connection } from 'mongoose';
import type { Role } from '../auth/permissions.js';
import { createUser } from '../users/create-user.js';
import { userModels } from '../users/user-models.js';
import type { PublicUser } from '../users/user-schemas.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TEAMS, type DemoTeamKey } from './demo-accounts.js';
import { initModel } from '../db/init-model.js';

export interface DemoAccounts {
  users: Record<Role, PublicUser>;
  teamIds: Record<DemoTeamKey, string>;
}

/**
 * The window maker's business hours (flows/templates/windows.yaml), so the bot on /demo offers
 * consultations in the managers' calendars whatever day the demo is opened.
 */
const WORKDAYS = [
  ...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, from: '09:00', to: '19:00' })),
  { weekday: 6, from: '10:00', to: '16:00' },
];

/**
 * The demo's two teams and four accounts (password DEMO_PASSWORD). Users are written with
 * `createUser`, the users domain's own function, which the API's 8-character rule sits in front
 * of: the demo password is short on purpose, so people can type it.
 */
export async function writeDemoAccounts(db: Connection): Promise<DemoAccounts> {
  const { Team } = userModels(db);
  await initModel(Team);
  const teamIds = {} as Record<DemoTeamKey, string>;
  for (const key of Object.keys(DEMO_TEAMS) as DemoTeamKey[]) {
    const team = DEMO_TEAMS[key];
    const created = await Team.create({ ...team, nameKey: team.name.toLowerCase() });
    teamIds[key] = created._id.toHexString();
  }
  const created = await Promise.all(
    DEMO_ACCOUNTS.map((account) =>
      createUser(db, {
        name: account.name,
        email: account.email,
        password: DEMO_PASSWORD,
        role: account.role,
        teamIds: account.teams.map((team) => teamIds[team]),
        workingHours: WORKDAYS,
        timeZone: 'Europe/Moscow',
        language: 'ru',
      }),
    ),
  );
  const users = Object.fromEntries(created.map((user) => [user.role, user])) as Record<Role, PublicUser>;
  return { users, teamIds };
}
