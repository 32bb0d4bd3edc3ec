import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) the summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    children?: number[];
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
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // A native frame says little by itself: name the JavaScript function that called it.
  const caller = (id: number): string => {
    for (let up = parent.get(id); up !== undefined; up = parent.get(up)) {
      const frame = byId.get(up)!.callFrame;
      if (frame.url) return ` ← ${frame.functionName || '(anonymous)'} ${shortFile(frame.url)}`;
    }
    return '';
  };
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (hits === 0 || functionName === '(idle)') continue;
    total += hits;
    const owner = packageOf(url, functionName);
    packages.set(owner, (packages.get(owner) ?? 0) + hits);
    const frame = url
      ? `${functionName || '(anonymous)'} ${shortFile(url)}:${lineNumber + 1}`
      : functionName.startsWith('(')
        ? functionName
        : `${functionName || '(native)'}${caller(node.id)}`;
    frames.set(frame, (frames.get(frame) ?? 0) + hits);
  }
  const shares = (counts: Map<string, number>): ProfileShare[] =>
    [...counts.entries()]
      .map(([name, hits]) => ({ name, percent: (100 * hits) / Math.max(total, 1) }))
      .sort((a, b) => b.percent - a.percent)
      .slice(0, top);
  return { byPackage: shares(packages), byFrame: shares(frames) };
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

export function formatSummary(summary: ProfileSummary): string {
  const list = (shares: ProfileShare[]): string =>
    shares.map((share) => `  ${share.percent.toFixed(1).padStart(5)} %  ${share.name}`).join('\n');
  return `self time by package:\n${list(summary.byPackage)}\nself time by frame:\n${list(summary.byFrame)}`;
}
