import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * .ci/run in a scratch checkout where `make` and scripts/docker-flow-test.sh are stand-ins with a chosen
 * exit status: CI must fail when `make test` fails (and then not start the Docker flows), fail when the
 * flows fail, and pass with a printed reason only when the flow test skips (77).
 */
describe('.ci/run', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dashtam-ci-run-'));
    mkdirSync(join(dir, '.ci'));
    mkdirSync(join(dir, 'scripts'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(ROOT, '.ci/run'), join(dir, '.ci/run'));
    const stub = (path: string, body: string): void => {
      writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(path, 0o755);
    };
    stub(join(dir, 'bin/make'), 'echo "make $*" >> "$CI_TRACE"; exit "$MAKE_STATUS"');
    stub(
      join(dir, 'scripts/docker-flow-test.sh'),
      'echo flows >> "$CI_TRACE"; [[ "$FLOW_STATUS" == 77 ]] && echo "docker-flow-test: SKIPPED: no root"; exit "$FLOW_STATUS"',
    );
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const ciRun = (
    makeStatus: number,
    flowStatus: number,
  ): { status: number | null; output: string; trace: string[] } => {
    const trace = join(dir, 'trace');
    const result = spawnSync('bash', [join(dir, '.ci/run')], {
      env: {
        PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
        CI_TRACE: trace,
        MAKE_STATUS: String(makeStatus),
        FLOW_STATUS: String(flowStatus),
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const lines = existsSync(trace) ? readFileSync(trace, 'utf8').trim().split('\n') : [];
    return { status: result.status, output: result.stdout + result.stderr, trace: lines };
  };

  it('runs make test, then the Docker flows, and passes when both pass', () => {
    expect(ciRun(0, 0)).toMatchObject({ status: 0, trace: ['make test', 'flows'] });
  });

  it('fails when make test fails, without starting the Docker flows', () => {
    const run = ciRun(2, 0);
    expect(run.status).not.toBe(0);
    expect(run.trace).toEqual(['make test']);
  });

  it.each([1, 2, 143])('fails when the Docker flow test exits %i', (status) => {
    expect(ciRun(0, status).status).toBe(status);
  });

  it('passes when the Docker flow test skips (77), saying so', () => {
    const run = ciRun(0, 77);
    expect(run.status).toBe(0);
    expect(run.output).toContain('docker-flow-test: SKIPPED: no root');
    expect(run.output).toContain('Docker flow test skipped');
  });
});

describe('scripts/docker-flow-test.sh', () => {
  const script = readFileSync(join(ROOT, 'scripts/docker-flow-test.sh'), 'utf8');

  it('starts its dockerd off the host network, with its own socket, data and exec roots', () => {
    const start = script.slice(script.indexOf('"$DOCKERD" '), script.indexOf('DOCKERD_PID=$!'));
    for (const flag of ['--bridge=none', '--iptables=false', '--ip-masq=false', '--ip-forward=false']) {
      expect(start).toContain(flag);
    }
    expect(start).toContain('--host "$DOCKER_HOST"');
    expect(script).toContain('export DOCKER_HOST="unix://$TMP/docker.sock"');
    expect(start).toContain('--data-root "$TMP/data" --exec-root "$TMP/exec"');
    expect(script).toMatch(/^trap cleanup EXIT$/m);
  });
});
