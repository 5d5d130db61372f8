/**
 * A failure the person running `npm run backup` / `npm run restore` can act on: reported as its
 * message alone (no stack trace), with exit code 1.
 */
export class BackupError extends Error {
  constructor(
    readonly code:
      | 'ARCHIVE_INVALID'
      | 'TARGET_NOT_EMPTY'
      | 'STORE_UNREACHABLE'
      | 'RESTORE_INCOMPLETE'
      | 'FILES_UNAVAILABLE'
      | 'USAGE',
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** The archive is damaged, truncated or not a backup at all; `line` is where reading stopped. */
export class ArchiveError extends BackupError {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super('ARCHIVE_INVALID', `${file}, line ${line}: ${problem}`);
    this.name = 'ArchiveError';
  }
}
