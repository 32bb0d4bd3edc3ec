import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) the summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }>;
}

export interface ProfileShare {
  name: string;
  percent: number;
}

export interface ProfileSummary {
  byPackage: ProfileShare[];
  byFrame: ProfileShare[];
}

/** Who a frame belongs to: an npm package, Node itself, V8's bookkeeping, or Dashtam's own code. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'node (native)';
  if (url.startsWith('node:') || !url.includes('/')) return 'node (internals)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  return 'dashtam';
}

function shortFile(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const repo = /\/(dist\/)?(apps|libs)\//.exec(url);
  return repo ? url.slice(repo.index + 1) : url.replace(/^.*\//, '');
}

/** Self time by package and by frame, as a share of all non-idle samples. */
export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const packages = new Map<string, number>();
  const frames = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (hits === 0 || functionName === '(idle)') continue;
    total += hits;
    const owner = packageOf(url, functionName);
    packages.set(owner, (packages.get(owner) ?? 0) + hits);
    const frame = url ? `${functionName || '(anonymous)'} ${shortFile(url)}:${lineNumber + 1}` : functionName;
    frames.set(frame, (frames.get(frame) ?? 0) + hits);
  }
  const shares = (counts: Map<string, number>): ProfileShare[] =>
    [...counts.entries()]
      .map(([name, hits]) => ({ name, percent: (100 * hits) / Math.max(total, 1) }))
      .sort((a, b) => b.percent - a.percent)
      .slice(0, top);
  return { byPackage: shares(packages), byFrame: shares(frames) };
}

/** Reads the one profile `node --cpu-prof` wrote into `dir`. */
export function readProfile(dir: string): CpuProfile {
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
}

export function formatSummary(summary: ProfileSummary): string {
  const list = (shares: ProfileShare[]): string =>
    shares.map((share) => `  ${share.percent.toFixed(1).padStart(5)} %  ${share.name}`).join('\n');
  return `self time by package:\n${list(summary.byPackage)}\nself time by frame:\n${list(summary.byFrame)}`;
}
