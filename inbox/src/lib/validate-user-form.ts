export interface UserDraft {
  name: string;
  email: string;
  /** Required for a new user; on an existing one, empty keeps the current password. */
  password: string;
  role: string;
}

/** Message keys of settings.ts, named here so the root type check (tests) need not read the browser-only i18n module. */
type UserFormError =
  | 'settings.error.nameRequired'
  | 'settings.error.emailRequired'
  | 'settings.error.emailInvalid'
  | 'settings.error.passwordRequired'
  | 'settings.error.passwordShort'
  | 'settings.error.roleRequired';

export type UserDraftErrors = Partial<Record<keyof UserDraft, UserFormError>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ROLES = ['admin', 'manager', 'operator', 'marketer'];

/** The user form's checks, as the server makes them (name, e-mail, an 8-character password, a role). */
export function validateUserForm(draft: UserDraft, creating: boolean): UserDraftErrors {
  const errors: UserDraftErrors = {};
  if (!draft.name.trim()) errors.name = 'settings.error.nameRequired';
  if (!draft.email.trim()) errors.email = 'settings.error.emailRequired';
  else if (!EMAIL.test(draft.email.trim())) errors.email = 'settings.error.emailInvalid';
  if (creating && !draft.password) errors.password = 'settings.error.passwordRequired';
  else if (draft.password && draft.password.length < 8) errors.password = 'settings.error.passwordShort';
  if (!ROLES.includes(draft.role)) errors.role = 'settings.error.roleRequired';
  return errors;
}
