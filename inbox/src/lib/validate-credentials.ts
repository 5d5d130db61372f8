import type { MessageKey } from './i18n.svelte';
import type { Credentials } from './sign-in';

export type CredentialErrors = Partial<Record<keyof Credentials, MessageKey>>;

/** Something@something.tld without spaces: enough to catch typos, the server decides the rest. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The login form's client-side checks, as message keys so they follow a change of language. */
export function validateCredentials({ email, password }: Credentials): CredentialErrors {
  const errors: CredentialErrors = {};
  const address = email.trim();
  if (!address) errors.email = 'login.error.emailRequired';
  else if (!EMAIL.test(address)) errors.email = 'login.error.emailInvalid';
  if (!password) errors.password = 'login.error.passwordRequired';
  return errors;
}
