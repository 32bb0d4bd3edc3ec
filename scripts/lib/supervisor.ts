import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const COLORS = [36, 35, 33, 32, 34];

/**
 * Runs long-lived children side by side with their output prefixed by name. Each child gets its own
 * process group, so a terminal Ctrl-C reaches only the supervisor, which then stops every child (and
 * whatever the child started) in order and within a deadline.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;
  private readonly width: number;

  constructor(
    names: string[],
    private readonly onUnexpectedExit: (name: string, code: number | null, signal: string | null) => void,
  ) {
    this.width = Math.max(...names.map((n) => n.length));
  }

  start(spec: ChildSpec): void {
    const color = COLORS[this.children.size % COLORS.length];
    const tty = process.stdout.isTTY === true;
    const prefix = tty
      ? `\x1b[${color}m${spec.name.padEnd(this.width)} |\x1b[0m `
      : `${spec.name.padEnd(this.width)} | `;
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: tty ? { FORCE_COLOR: '1', ...spec.env } : spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => process.stdout.write(`${prefix}${line}\n`));
    createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`${prefix}${line}\n`));
    child.once('error', (error) => {
      process.stderr.write(`${prefix}could not start: ${error.message}\n`);
    });
    child.once('exit', (code, signal) => {
      // Whatever the child left behind in its group (a watcher's app, say) goes with it.
      killGroup(child, 'SIGKILL');
      this.children.delete(spec.name);
      if (!this.stopping) this.onUnexpectedExit(spec.name, code, signal);
    });
    this.children.set(spec.name, child);
  }

  /** SIGTERM to every child, SIGKILL to the process groups of those still running after `graceMs`. */
  async stopAll(graceMs: number): Promise<void> {
    this.stopping = true;
    const running = [...this.children.values()];
    await Promise.all(
      running.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
