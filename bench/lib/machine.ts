import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/**
 * Where the servers and the load generator run. With taskset and two or more cores the server under test
 * gets core 0 to itself and this process (autocannon) core 1; PostgreSQL and Redis float. Without
 * taskset (macOS) or on one core nothing is pinned and the table says so.
 */
export interface Placement {
  taskset: string | null;
  serverCpu: string | null;
  loadCpu: string | null;
}

export function placement(): Placement {
  const found = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' });
  const taskset = found.status === 0 ? found.stdout.trim() : null;
  if (!taskset || availableParallelism() < 2) return { taskset: null, serverCpu: null, loadCpu: null };
  return { taskset, serverCpu: '0', loadCpu: '1' };
}

/** Pins this process, every thread of it, to the load generator's core. */
export function pinSelf(where: Placement): void {
  if (!where.taskset || !where.loadCpu) return;
  const pinned = spawnSync(where.taskset, ['-a', '-p', '-c', where.loadCpu, String(process.pid)], { encoding: 'utf8' });
  if (pinned.status !== 0) throw new Error(`taskset could not pin the load generator: ${pinned.stderr.trim()}`);
}

/** `command args` as the pinned command line of a server. */
export function pinned(where: Placement, command: string, args: string[]): [string, string[]] {
  return where.taskset && where.serverCpu
    ? [where.taskset, ['-c', where.serverCpu, command, ...args]]
    : [command, args];
}

/** Resident set size of a process in MiB (Linux /proc, else ps). */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (kib) return Number(kib[1]) / 1024;
  } catch {
    // not Linux: ask ps
  }
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  return Number(ps.stdout.trim()) / 1024;
}

/** One line for the report: what the figures came from. */
export function describeMachine(where: Placement, postgresVersion: string): string {
  const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  const pinning = where.taskset
    ? `servers pinned to CPU ${where.serverCpu}, load generator to CPU ${where.loadCpu}`
    : 'nothing pinned (no taskset or a single core)';
  return [
    `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `Node ${process.versions.node}, PostgreSQL ${postgresVersion}`,
    pinning,
    `load average at start ${load}`,
  ].join('; ');
}
