import type { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
  code: string;
}

/** A problem with one line of an uploaded file (imports): line-based, unlike field validation. */
export interface LineError {
  line: number;
  message: string;
}

/**
 * Base of every domain error: a stable namespaced code (mapped to an HTTP status in error-codes.ts)
 * and a message that is safe to show a client. `cause` goes to logs only.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { errors?: FieldError[] | LineError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
  }
}
