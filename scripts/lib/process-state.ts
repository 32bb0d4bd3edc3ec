import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

// Process facts for the test servers a fault test kills: from /proc on Linux (childrenOf needs it).

/** `/proc/<pid>/stat` after the command name (which may hold spaces): "state ppid …". */
async function statFields(pid: number | string): Promise<string[] | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat === null ? null : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Alive and not a zombie: a killed process whose parent has not reaped it yet is gone for us. */
export async function isRunning(pid: number): Promise<boolean> {
  const fields = await statFields(pid);
  if (fields !== null) return fields[0] !== 'Z';
  if (existsSync('/proc/self/stat')) return false;
  // No /proc (macOS): whether the pid exists at all.
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids whose parent is `parent`. */
export async function childrenOf(parent: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    if (Number((await statFields(entry))?.[1]) === parent) children.push(Number(entry));
  }
  return children;
}

/** Sends `name` unless the process is already gone. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
