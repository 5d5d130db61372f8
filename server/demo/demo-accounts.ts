import type { Role } from '../auth/permissions.js';

/** The demo's one password: README says so, and says to change it (or not seed) on a real install. */
export const DEMO_PASSWORD = 'demo';

export type DemoTeamKey = 'sales' | 'marketing';

export interface DemoAccount {
  role: Role;
  name: string;
  email: string;
  teams: DemoTeamKey[];
}

export const DEMO_TEAMS: Record<DemoTeamKey, { name: string; description: string }> = {
  sales: { name: 'Отдел продаж', description: 'Заявки, замеры, договоры и рассрочки' },
  marketing: { name: 'Маркетинг', description: 'Реклама, рассылки и работа с отложенным спросом' },
};

/** One account per role; the operator works in the sales team, so the demo shows team scope. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: 'admin', name: 'Андрей Соколов', email: 'admin@demo.local', teams: [] },
  { role: 'manager', name: 'Елена Морозова', email: 'manager@demo.local', teams: ['sales', 'marketing'] },
  { role: 'operator', name: 'Дмитрий Кузнецов', email: 'operator@demo.local', teams: ['sales'] },
  { role: 'marketer', name: 'Мария Лебедева', email: 'marketer@demo.local', teams: ['marketing'] },
];
