export type Verdict = 'PASS' | 'MISS' | 'ERROR' | '—';

/** One line of the bench's table. Empty cells are written as "". */
export interface Row {
  scenario: string;
  /** The api's figure: req/s, or the measure of a non-request row (seconds, MiB). */
  value: string;
  p50: string;
  p99: string;
  rss: string;
  /** The api against the baseline (req/s ratio, p99 in brackets), or the baseline's own figure. */
  baseline: string;
  target: string;
  verdict: Verdict;
}

const HEADERS: Record<keyof Row, string> = {
  scenario: 'scenario',
  value: 'api',
  p50: 'p50 ms',
  p99: 'p99 ms',
  rss: 'RSS MiB',
  baseline: 'vs baseline',
  target: 'target',
  verdict: 'result',
};
const RIGHT: Array<keyof Row> = ['value', 'p50', 'p99', 'rss'];

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const fixed = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

/** A Markdown table (pasteable into bench/README.md), columns padded for the terminal. */
export function table(rows: Row[]): string {
  const keys = Object.keys(HEADERS) as Array<keyof Row>;
  const widths = keys.map((key) => Math.max(HEADERS[key].length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (RIGHT.includes(keys[i]) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${keys.map((key, i) => (RIGHT.includes(key) ? `${'-'.repeat(widths[i] + 1)}:` : '-'.repeat(widths[i] + 2))).join('|')}|`;
  return [line(keys.map((key) => HEADERS[key])), rule, ...rows.map((row) => line(keys.map((key) => row[key])))].join(
    '\n',
  );
}
