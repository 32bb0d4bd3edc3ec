import type { FieldError, LineError } from './app.error';

/** RFC 9457 body, the one error shape of the API (SPEC §8). Absent values are null, never omitted. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string | null;
  code: string;
  request_id: string | null;
  errors?: FieldError[] | LineError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
