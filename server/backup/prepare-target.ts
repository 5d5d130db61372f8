import type { Db } from 'mongodb';
import { BackupError } from './backup-error.js';

/**
 * Makes the database ready to take the archive's collections. A database holding documents is
 * refused unless `replace`, which drops every collection in it. Empty collections (an app started
 * once on a fresh store creates them with their indexes) are dropped when the archive brings
 * them, so each comes back with the archive's options and indexes exactly.
 */
export async function prepareTarget(
  db: Db,
  archived: string[],
  replace: boolean,
): Promise<{ dropped: { name: string; documents: number }[] }> {
  const existing = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((info) => ({ name: info.name, type: info.type }))
    .filter((info) => !info.name.startsWith('system.'));
  const counted = await Promise.all(
    existing.map(async (info) => ({
      name: info.name,
      documents: info.type === 'view' ? 0 : await db.collection(info.name).estimatedDocumentCount(),
    })),
  );
  const holding = counted.filter((c) => c.documents > 0);
  if (holding.length > 0 && !replace) {
    const listed = holding
      .slice(0, 5)
      .map((c) => `${c.name} (${c.documents})`)
      .join(', ');
    const more = holding.length > 5 ? ` and ${holding.length - 5} more` : '';
    throw new BackupError(
      'TARGET_NOT_EMPTY',
      `The database "${db.databaseName}" already holds data: ${listed}${more}. ` +
        'Nothing was changed. Restore into an empty database, or add --replace to drop what is there first.',
    );
  }
  const wanted = new Set(archived);
  const toDrop = replace ? counted : counted.filter((c) => wanted.has(c.name));
  for (const collection of toDrop) await db.collection(collection.name).drop();
  return { dropped: toDrop };
}
