import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const SECRET_VALUE = 'short-S3CRET';

interface Outcome {
  code: number | null;
  output: string;
}

/** Runs an app's main.ts as `make dev` does (ts-node, path aliases) with `env` on top of this run's environment. */
function start(main: string, env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(ROOT, main)],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${main} neither started nor exited within 60 s:\n${output}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Acceptance of the config refactor: an operator who starts an app with invalid variables sees one
 * line per problem, naming the variable and never its value, and the process exits 1 — no stack trace.
 */
describe.each([
  ['api', 'apps/api/src/main.ts'],
  ['callback', 'apps/callback/src/main.ts'],
])('%s started with an invalid configuration', (_name, main) => {
  let outcome: Outcome;

  beforeAll(async () => {
    outcome = await start(main, { API_PORT: 'abc', JWT_SECRET: SECRET_VALUE });
  }, 70_000);

  it('exits 1', () => {
    expect(outcome.code).toBe(1);
  });

  it('prints one line per problem naming each variable, and nothing else', () => {
    const lines = outcome.output.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}- "API_PORT" /),
      expect.stringMatching(/^ {2}- "JWT_SECRET" /),
    ]);
  });

  it('shows no stack trace and no value', () => {
    expect(outcome.output).not.toMatch(/^\s+at /m);
    expect(outcome.output).not.toContain(SECRET_VALUE);
    expect(outcome.output).not.toContain('abc');
  });
});
