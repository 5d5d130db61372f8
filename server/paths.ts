import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project folder (where package.json is), from source under tsx or compiled under dist/. */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot(import.meta.dirname);
export const INBOX_DIST = join(PROJECT_ROOT, 'inbox', 'dist');
export const WIDGET_DIST = join(PROJECT_ROOT, 'bot', 'webchat', 'widget', 'dist');
