import { Matches } from 'class-validator';

// Control characters (CR, LF, TAB, …) and the Unicode line/paragraph separators: a one-line value that
// holds them can forge extra lines in a mail, a log or a page.
const SINGLE_LINE = /^[^\p{Cc}\u2028\u2029]*$/u;

/** A one-line text field: refused (400) when it holds a line break or another control character. */
export const SingleLine = (): PropertyDecorator =>
  Matches(SINGLE_LINE, { message: '$property must be a single line without control characters' });
