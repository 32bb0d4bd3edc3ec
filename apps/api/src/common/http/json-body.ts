import { MAX_INPUT_DEPTH } from '../pipes/storable-input';

/**
 * Whether a JSON text nests objects and arrays deeper than `max`, found by one pass over its characters
 * before JSON.parse builds anything: thousands of levels cost a few kilobytes to send and a stack
 * overflow to walk.
 */
export function jsonNestsDeeperThan(text: string, max = MAX_INPUT_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}
