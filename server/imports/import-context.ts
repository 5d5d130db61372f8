import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';

/** What importing one row needs: who imports, whether to write, and (dry runs) the keys of earlier rows. */
export interface ImportContext {
  services: Pick<ApiServices, 'db'>;
  actor: AuthUser;
  dryRun: boolean;
  /**
   * Dedupe keys of the rows seen so far. A real run finds an earlier row's record in the store;
   * a dry run writes nothing, so it remembers the keys to report the same outcome.
   */
  seen: Set<string>;
}

/** What became of a row. */
export type RowOutcome = { type: 'created' } | { type: 'matched' } | { type: 'rejected'; reason: string };

/** A row's cells per field, in column order, empty cells left out. */
export type FieldValues<F extends string> = Partial<Record<F, string[]>>;
