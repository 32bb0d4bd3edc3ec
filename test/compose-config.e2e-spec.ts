import { spawnSync } from 'node:child_process';

import { parse } from 'yaml';

import { DOCKER_COMPOSE, findTool } from '../scripts/lib/system-tools';
import { environmentOf, isMapping, loadStack, type Mapping, readRepoFile, ROOT } from './support/compose-model';

/** The Makefile's compose arguments: `$(COMPOSE_CLI) -p … -f … --env-file …`. */
function makeCompose(variable: 'COMPOSE' | 'COMPOSE_TEST'): string[] {
  const line = new RegExp(`^${variable} :?= \\$\\(COMPOSE_CLI\\) (.*)$`, 'm').exec(readRepoFile('Makefile'))?.[1];
  if (!line) throw new Error(`Makefile has no "${variable} = $(COMPOSE_CLI) …"`);
  return line.trim().split(/\s+/);
}

const flagValues = (args: string[], flag: string): string[] =>
  args.flatMap((arg, i) => (args[i - 1] === flag ? [arg] : []));

/**
 * No Docker engine runs where the tests run, but `config` needs none: a real Compose implementation —
 * Debian's docker-compose 1.29 (Compose v1), the strictest one we meet — loads the files exactly as the
 * Makefile passes them, and must do so without an error or a warning. What it resolves must also be
 * what test/support/compose-model.ts (the unit tier's model) says, so the model's checks hold for real.
 */
describe.each([
  ['development stack', 'COMPOSE' as const],
  ['test stack', 'COMPOSE_TEST' as const],
])('docker-compose config: %s', (_name, variable) => {
  const args = makeCompose(variable);

  const config = (): { status: number | null; stdout: string; stderr: string } => {
    const binary = findTool(DOCKER_COMPOSE.binary);
    if (!binary) {
      throw new Error(
        `${DOCKER_COMPOSE.binary} is missing: run \`make test-setup\` as root, or \`apt-get install ${DOCKER_COMPOSE.debianPackage}\``,
      );
    }
    // Only PATH: variables of the calling shell would override the env file's and hide a missing one.
    const result = spawnSync(binary, [...args, 'config'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('loads the files with no error and no warning', () => {
    const { status, stderr } = config();
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('resolves the services and their environment as the unit tier’s model does', () => {
    const resolved = parse(config().stdout) as { services: Record<string, Mapping> };
    const model = loadStack(flagValues(args, '-f'), flagValues(args, '--env-file')[0]);

    expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(model.services).sort());
    for (const [name, service] of Object.entries(model.services)) {
      const real = resolved.services[name];
      expect(isMapping(real)).toBe(true);
      expect({ name, environment: environmentOf(real) }).toEqual({ name, environment: environmentOf(service) });
      // The base images and the build's argument and network: what the variables' defaults resolve to.
      const build = (s: Mapping): Mapping | null =>
        isMapping(s.build)
          ? { args: s.build.args ?? null, network: s.build.network ?? null, target: s.build.target ?? null }
          : null;
      expect({ name, image: real.image ?? null, build: build(real) }).toEqual({
        name,
        image: service.image ?? null,
        build: build(service),
      });
    }
  });
});
