/** `npm run backup` (see BACKUP_USAGE); `node dist/server/backup/backup-cli.js` where tsx is not installed. */
import { loadDotEnv } from '../config/config.js';
import { runBackup } from './backup-command.js';

loadDotEnv();
process.exitCode = await runBackup(process.argv.slice(2), process.env);
