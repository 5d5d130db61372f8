/** `npm run restore` (see RESTORE_USAGE); `node dist/server/backup/restore-cli.js` where tsx is not installed. */
import { loadDotEnv } from '../config/config.js';
import { runRestore } from './restore-command.js';

loadDotEnv();
process.exitCode = await runRestore(process.argv.slice(2), process.env);
