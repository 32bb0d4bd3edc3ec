import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

const makeVariable = (name: string): string => {
  const value = new RegExp(`^${name} := (\\S+)$`, 'm').exec(read('Makefile'))?.[1];
  if (!value) throw new Error(`Makefile sets no ${name}`);
  return value;
};

const parse = (version: string): [number, number] => {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return [major, minor];
};
const atLeast = (version: string, floor: string): boolean => {
  const [[a, b], [x, y]] = [parse(version), parse(floor)];
  return a > x || (a === x && b >= y);
};

/**
 * Node 20 is past its end of life; `make` runs everything on Node >= 22.12 even where the system's is
 * older, by putting its pinned Node first on PATH. These fail when a suite runs on an older Node.
 */
describe('runtime', () => {
  const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
  const floor = /^>=(\d+\.\d+)$/.exec(engines)?.[1] ?? '';

  it('package.json asks for Node >= 22.12, the floor the Makefile checks', () => {
    expect(floor).toBe('22.12');
    expect(makeVariable('NODE_FLOOR')).toBe(floor);
  });

  it('the tests run on a Node that satisfies it', () => {
    expect({ node: process.version, ok: atLeast(process.version, floor) }).toEqual({
      node: process.version,
      ok: true,
    });
  });

  it('so does the `node` a test spawns by name', () => {
    const child = execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim();
    expect({ node: child, ok: atLeast(child, floor) }).toEqual({ node: child, ok: true });
  });

  it('the Node the Makefile brings is 24 LTS, the same as the Docker images', () => {
    const pinned = makeVariable('NODE_VERSION');
    expect(parse(pinned)[0]).toBe(24);
    // The Dockerfile's one base, a build argument so that a local stand-in can replace it.
    const dockerfile = read('docker/Dockerfile');
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]).filter((from) => !/^[a-z-]+$/.test(from));
    expect(bases).toEqual(['${NODE_IMAGE}']);
    expect(/^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1]).toBe(`node:${pinned}-bookworm-slim`);
  });
});
