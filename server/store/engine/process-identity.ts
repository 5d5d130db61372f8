import { readFileSync } from 'node:fs';

/**
 * A process as files left on disk name it: its pid and, on Linux, its start time (clock ticks
 * since boot, /proc/<pid>/stat field 22). The start time tells a live owner from a pid the kernel
 * has since given to someone else: a container restarted after a kill runs the app as pid 1 again.
 */
export interface ProcessIdentity {
  pid: number;
  /** Absent where /proc is not readable (macOS): the pid alone then decides. */
  startTime?: string;
}

/** The state letter and start time of a process from /proc, or undefined where there is no /proc. */
function procStat(pid: number): { state: string; startTime: string } | 'gone' | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return existsProc() ? 'gone' : undefined;
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state && startTime ? { state, startTime } : undefined;
}

function existsProc(): boolean {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}

export function currentProcessIdentity(): ProcessIdentity {
  const stat = procStat(process.pid);
  return typeof stat === 'object' ? { pid: process.pid, startTime: stat.startTime } : { pid: process.pid };
}

/** Whether the process that wrote `identity` still runs (a zombie, killed but not yet reaped, does not). */
export function isProcessAlive(identity: ProcessIdentity): boolean {
  const stat = procStat(identity.pid);
  if (stat === 'gone') return false;
  if (stat) {
    if (stat.state === 'Z' || stat.state === 'X') return false;
    return identity.startTime === undefined || identity.startTime === stat.startTime;
  }
  try {
    process.kill(identity.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `identity` is this very process (another thread of it, or an instance it never closed). */
export function isCurrentProcess(identity: ProcessIdentity): boolean {
  const current = currentProcessIdentity();
  return identity.pid === current.pid && (identity.startTime ?? current.startTime) === current.startTime;
}
