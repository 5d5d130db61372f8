import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/config.js';
import { BackupError } from './backup-error.js';

/** What a command prints: one line at a time, to stdout (errors go to stderr). */
export interface CommandOutput {
  say(line: string): void;
  warn(line: string): void;
}

export const consoleOutput: CommandOutput = {
  say: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};

export function parseCommandLine<T extends ParseArgsConfig['options']>(
  argv: string[],
  options: T,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new BackupError('USAGE', (error as Error).message);
  }
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Runs a command and turns its failure into an exit code: 2 for a usage mistake (with the usage),
 * 1 for anything else. Mistakes an operator can act on are said in plain words; others keep their stack.
 */
export async function runCommand(usage: string, output: CommandOutput, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (error) {
    if (error instanceof BackupError && error.code === 'USAGE') {
      output.warn(`${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof BackupError || error instanceof ConfigError) {
      output.warn(error.message);
      return 1;
    }
    output.warn(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}
