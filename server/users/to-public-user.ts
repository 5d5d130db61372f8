import type { Types } from 'mongoose';
import type { Role } from '../auth/permissions.js';
import type { PublicUser } from './user-schemas.js';

/** The fields read from a stored user (a lean document or a hydrated one's toObject()). */
interface StoredUser {
  _id: Types.ObjectId;
  name: string;
  email: string;
  role: Role;
  teamIds: readonly Types.ObjectId[];
  active: boolean;
  workingHours: readonly { weekday: number; from: string; to: string }[];
  timeZone: string;
  language: 'ru' | 'en';
  createdAt: Date;
}

/** What the API shows of a user: an explicit list of fields, so the password hash never leaves. */
export function toPublicUser(user: StoredUser): PublicUser {
  return {
    id: user._id.toHexString(),
    name: user.name,
    email: user.email,
    role: user.role,
    teamIds: user.teamIds.map((id) => id.toHexString()),
    active: user.active,
    workingHours: user.workingHours.map(({ weekday, from, to }) => ({ weekday, from, to })),
    timeZone: user.timeZone,
    language: user.language,
    createdAt: user.createdAt.toISOString(),
  };
}
