import type { FieldError } from '../errors';

/** Deeper than any request body Dashtam accepts; past it, walking the value is refused, not attempted. */
export const MAX_INPUT_DEPTH = 32;

// class-transformer skips these keys without a word, so the whitelist never sees them: refuse them here.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Finds what PostgreSQL cannot store, or stores wrongly, before any validator or query sees it: NUL
 * characters (text columns refuse U+0000) and ill-formed UTF-16 (a lone surrogate becomes U+FFFD or an
 * error, depending on the path); and prototype-named keys, which no DTO has. Walks iteratively so that
 * hostile nesting cannot exhaust the stack.
 */
export function unstorableInput(input: unknown, root = ''): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) errors.push({ field: path || 'body', ...problem });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    // Bytes (an uploaded file) are not text: their decoder checks them. Walking them would make an entry
    // per byte — seconds of a blocked event loop and a GiB of garbage for a 5 MiB upload.
    if (ArrayBuffer.isView(value)) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      errors.push({
        field: path || 'body',
        message: `nesting deeper than ${MAX_INPUT_DEPTH} levels`,
        code: 'too_deep',
      });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const keyProblem = stringProblem(key);
      const childPath = path ? `${path}.${keyProblem ? '?' : key}` : keyProblem ? '?' : key;
      if (keyProblem) errors.push({ field: childPath, ...keyProblem });
      if (PROTOTYPE_KEYS.has(key)) {
        errors.push({ field: childPath, message: `unknown field "${childPath}"`, code: 'unknown_field' });
      }
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return errors;
}

// In a `u` regex paired surrogates read as one code point, so only lone (ill-formed) ones match.
const LONE_SURROGATE = /\p{Cs}/u;

function stringProblem(value: string): Omit<FieldError, 'field'> | null {
  if (value.includes('\u0000')) return { message: 'must not contain NUL characters', code: 'nul_character' };
  if (LONE_SURROGATE.test(value)) return { message: 'must be well-formed Unicode', code: 'invalid_unicode' };
  return null;
}
