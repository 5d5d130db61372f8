/**
 * Who may do what: the one permission matrix that route guards, the inbox and the tests all read.
 * Row-level scope (an operator sees their teams' contacts and their own deals) is applied by each
 * domain's queries on top of this.
 */
export const ROLES = ['admin', 'manager', 'operator', 'marketer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'contacts.read',
  'contacts.write',
  'contacts.merge',
  'companies.read',
  'companies.write',
  'pipelines.read',
  'pipelines.manage',
  'deals.read',
  'deals.write',
  'deals.reassign',
  'leads.convert',
  // Partner platforms and exhibition apps hand in leads with a token limited to this.
  'leads.create',
  'tasks.read',
  'tasks.write',
  'appointments.read',
  'appointments.write',
  'payments.read',
  'payments.write',
  'notes.write',
  'conversations.read',
  'conversations.reply',
  // Giving a conversation to someone else, taking one from its assignee, moving it between teams.
  'conversations.reassign',
  // Canned responses the whole team or company uses; everyone who answers keeps personal ones.
  'canned.manage',
  'custom-fields.manage',
  'users.read',
  'users.manage',
  'teams.manage',
  'audit.read',
  'exports.create',
  'imports.create',
  'segments.manage',
  'campaigns.manage',
  'channels.manage',
  // Web forms on the company's sites: like channels, an entry point for leads.
  'forms.manage',
  'settings.manage',
  'security.read',
  // Reports: everyone opens them; which reports and whose figures is decided per report (server/reports).
  'reports.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const OPERATOR: Permission[] = [
  'contacts.read',
  'contacts.write',
  'companies.read',
  'companies.write',
  'pipelines.read',
  'deals.read',
  'deals.write',
  'leads.convert',
  'leads.create',
  'tasks.read',
  'tasks.write',
  'appointments.read',
  'appointments.write',
  'payments.read',
  'notes.write',
  'conversations.read',
  'conversations.reply',
  'users.read',
  'reports.read',
];

// security.read: the read-burst alerts name who may be copying the base; a manager may be that person.
const ADMIN_ONLY: Permission[] = [
  'users.manage',
  'channels.manage',
  'forms.manage',
  'settings.manage',
  'exports.create',
  'security.read',
];

export const PERMISSION_MATRIX: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  manager: new Set(PERMISSIONS.filter((p) => !ADMIN_ONLY.includes(p))),
  operator: new Set(OPERATOR),
  marketer: new Set<Permission>([
    'contacts.read',
    'companies.read',
    'pipelines.read',
    'deals.read',
    'tasks.read',
    'conversations.read',
    'users.read',
    'segments.manage',
    'campaigns.manage',
    'reports.read',
  ]),
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSION_MATRIX[role].has(permission);
}

/** Managers and admins see every record; operators and marketers see what their scope allows. */
export function seesEverything(role: Role): boolean {
  return role === 'admin' || role === 'manager';
}
