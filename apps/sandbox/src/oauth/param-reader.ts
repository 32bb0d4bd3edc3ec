export interface ParamReader {
  optional(name: string): string | undefined;
  required(name: string): string;
}

/**
 * Reads OAuth parameters from a parsed query string or form body. RFC 6749 §3.1: parameters sent
 * without a value count as omitted, and none may appear more than once.
 */
export function paramReader(raw: unknown, fail: (message: string) => Error): ParamReader {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const optional = (name: string): string | undefined => {
    const value = Object.prototype.hasOwnProperty.call(source, name) ? source[name] : undefined;
    if (Array.isArray(value)) throw fail(`${name} must not be repeated`);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw fail(`${name} must be a string`);
    return value;
  };
  return {
    optional,
    required: (name) => {
      const value = optional(name);
      if (value === undefined) throw fail(`${name} is required`);
      return value;
    },
  };
}
