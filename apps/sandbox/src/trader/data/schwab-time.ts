/** Schwab's transaction timestamps: second precision with a `+0000` offset, e.g. 2024-06-13T18:09:26+0000. */
export function schwabTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

// Schwab documents yyyy-MM-dd'T'HH:mm:ss.SSSZ; seconds-only and numeric offsets are accepted too.
const QUERY_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses a startDate/endDate query value; undefined when it is not one of the accepted forms. */
export function parseQueryTime(value: string): number | undefined {
  if (!QUERY_TIME.test(value)) return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}
