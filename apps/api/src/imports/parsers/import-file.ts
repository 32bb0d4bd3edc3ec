import type { AccountType, ProviderPosition, ProviderTransaction } from '@dashtam/providers';

export const IMPORT_FORMATS = ['ofx', 'qfx', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A problem with one line of the file: the unit a person can find in their editor. */
export interface LineError {
  line: number;
  message: string;
}

/** The file cannot be read as a whole (truncated, unbalanced, not text): nothing of it is written. */
export class ImportMalformedError extends Error {
  constructor(readonly errors: LineError[]) {
    super(errors.map((error) => `line ${error.line}: ${error.message}`).join('; '));
    this.name = 'ImportMalformedError';
  }
}

/** One account's statement as a file describes it. */
export interface ParsedStatement {
  /** Stable per institution, never the account number: a hash of it (SPEC §4). */
  accountKey: string;
  mask: string | null;
  name: string;
  accountType: AccountType;
  /** The file's own account type label (CHECKING, CREDITCARD, INVESTMENT, CSV). */
  institutionAccountType: string;
  currency: string;
  balance: ParsedBalance | null;
  /** null when the file says nothing about holdings (bank and card statements, CSV). */
  positions: ProviderPosition[] | null;
  transactions: ProviderTransaction[];
  /** Kept on the account (a CSV account keeps its mapping for the next file). */
  metadata?: Record<string, unknown>;
}

export interface ParsedBalance {
  current: string | null;
  available: string | null;
  cash: string | null;
  holdings: string | null;
  asOf: Date;
}

/** What a parser read: the institution, its statements, and the lines it had to skip. */
export interface ParsedImport {
  format: ImportFormat;
  institution: { key: string; name: string | null };
  statements: ParsedStatement[];
  errors: LineError[];
}
