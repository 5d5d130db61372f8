import type { Connection } from 'mongoose';
import type { Role } from '../auth/permissions.js';
import { hashPassword } from '../auth/password.js';
import { toPublicUser } from './to-public-user.js';
import { userModels } from './user-models.js';
import type { PublicUser } from './user-schemas.js';
import { initModel } from '../db/init-model.js';

export interface NewUser {
  name: string;
  email: string;
  password: string;
  role: Role;
  teamIds?: string[];
  active?: boolean;
  workingHours?: { weekday: number; from: string; to: string }[];
  timeZone?: string;
  language?: 'ru' | 'en';
  /** Marks the first-start admin; a second one fails on the unique index. */
  firstAdmin?: boolean;
}

/**
 * Writes a user with an argon2id password hash. The API validates input before calling it; the
 * test harness and the demo seed call it directly. A taken e-mail fails with a duplicate-key
 * error (11000), which the API reports as 409.
 */
export async function createUser(db: Connection, input: NewUser): Promise<PublicUser> {
  const { User } = userModels(db);
  await initModel(User);
  const { password, ...fields } = input;
  const created = await User.create({
    ...fields,
    email: input.email.trim().toLowerCase(),
    passwordHash: await hashPassword(password),
  });
  return toPublicUser(created.toObject());
}
