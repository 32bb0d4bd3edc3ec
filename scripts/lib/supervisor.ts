import { type ChildProcess, spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Folders whose `.ts` changes restart the child (hot reload). */
  watch: string[];
}

const COLORS = [36, 35, 33, 32, 34];
// A crash restarts after 1 s, then 2, 4 … 30 s while it keeps crashing; a run this long resets the count.
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const STABLE_RUN_MS = 30_000;
// Editors write a file in several steps; one restart per burst.
const CHANGE_DEBOUNCE_MS = 200;

interface Supervised {
  spec: ChildSpec;
  prefix: string;
  child: ChildProcess | null;
  startedAt: number;
  crashes: number;
  restartTimer: NodeJS.Timeout | null;
  reloading: boolean;
  watchers: FSWatcher[];
}

/**
 * Runs long-lived children side by side with their output prefixed by name, restarts a child that
 * crashed (with backoff, saying so) or whose sources changed, and stops them all on request. Each child
 * gets its own process group, so a terminal Ctrl-C reaches only the supervisor, which then stops every
 * child (and whatever the child started) in order and within a deadline.
 */
export class Supervisor {
  private readonly children = new Map<string, Supervised>();
  private stopping = false;
  private readonly width: number;

  constructor(
    names: string[],
    private readonly log: (message: string) => void,
  ) {
    this.width = Math.max(...names.map((n) => n.length));
  }

  start(spec: ChildSpec): void {
    const color = COLORS[this.children.size % COLORS.length];
    const prefix =
      process.stdout.isTTY === true
        ? `\x1b[${color}m${spec.name.padEnd(this.width)} |\x1b[0m `
        : `${spec.name.padEnd(this.width)} | `;
    const entry: Supervised = {
      spec,
      prefix,
      child: null,
      startedAt: 0,
      crashes: 0,
      restartTimer: null,
      reloading: false,
      watchers: [],
    };
    this.children.set(spec.name, entry);
    this.watchSources(entry);
    this.spawn(entry);
  }

  /** SIGTERM to every child, SIGKILL to the process groups of those still running after `graceMs`. */
  async stopAll(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const entry of this.children.values()) {
      if (entry.restartTimer) clearTimeout(entry.restartTimer);
      for (const watcher of entry.watchers) watcher.close();
    }
    await Promise.all([...this.children.values()].map((entry) => terminate(entry.child, graceMs)));
  }

  private spawn(entry: Supervised): void {
    const { spec, prefix } = entry;
    const tty = process.stdout.isTTY === true;
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: tty ? { FORCE_COLOR: '1', ...spec.env } : spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    entry.child = child;
    entry.startedAt = Date.now();
    createInterface({ input: child.stdout! }).on('line', (line) => process.stdout.write(`${prefix}${line}\n`));
    createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`${prefix}${line}\n`));
    child.once('error', (error) => process.stderr.write(`${prefix}could not start: ${error.message}\n`));
    child.once('exit', (code, signal) => {
      // Whatever the child left behind in its group goes with it.
      killGroup(child, 'SIGKILL');
      entry.child = null;
      if (this.stopping) return;
      if (entry.reloading) {
        entry.reloading = false;
        this.spawn(entry);
        return;
      }
      if (Date.now() - entry.startedAt >= STABLE_RUN_MS) entry.crashes = 0;
      const delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** entry.crashes);
      entry.crashes += 1;
      this.log(`${spec.name} exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`);
      entry.restartTimer = setTimeout(() => {
        entry.restartTimer = null;
        if (!this.stopping) this.spawn(entry);
      }, delay);
    });
  }

  private watchSources(entry: Supervised): void {
    let timer: NodeJS.Timeout | null = null;
    const onChange = (_event: string, file: string | Buffer | null): void => {
      if (file !== null && !String(file).endsWith('.ts')) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => this.reload(entry), CHANGE_DEBOUNCE_MS);
    };
    entry.watchers = entry.spec.watch.map((dir) => watch(dir, { recursive: true }, onChange));
  }

  /** Sources changed: restart now, and forget earlier crashes (the change may be the fix). */
  private reload(entry: Supervised): void {
    if (this.stopping) return;
    entry.crashes = 0;
    this.log(`${entry.spec.name}: sources changed, restarting`);
    if (entry.restartTimer) {
      clearTimeout(entry.restartTimer);
      entry.restartTimer = null;
      this.spawn(entry);
    } else if (entry.child) {
      entry.reloading = true;
      entry.child.kill('SIGTERM');
    }
  }
}

function terminate(child: ChildProcess | null, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
