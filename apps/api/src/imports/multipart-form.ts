import type { IncomingMessage } from 'node:http';

import { Busboy } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';

import { AppError } from '../common/errors';
import { ImportForm } from './import-request';

/** The one route that takes multipart/form-data; every other route reads JSON only. */
export const IMPORTS_ROUTE = { method: 'POST', url: '/api/v1/imports' } as const;

const FIELD_MAX_BYTES = 16 * 1024;
// Form fields and part headers around the file: what a request may add to the file's own size.
const ENVELOPE_MAX_BYTES = 64 * 1024;

export function isImportsRoute(request: FastifyRequest): boolean {
  return request.method === IMPORTS_ROUTE.method && request.routeOptions.url === IMPORTS_ROUTE.url;
}

/**
 * Reads an import form with Fastify's busboy, holding at most `maxFileBytes` of file in memory: one
 * `file` part and a few short text fields. A larger file is a 413 (the rest of the body is read and
 * discarded up to a bound, so the client sees the answer rather than a reset); a body that is not
 * valid multipart is a 400.
 */
export function readImportForm(
  request: FastifyRequest,
  payload: IncomingMessage,
  maxFileBytes: number,
): Promise<ImportForm> {
  return new Promise((resolve, reject) => {
    const tooLarge = new AppError('REQUEST.TOO_LARGE', `The file is larger than ${maxFileBytes} bytes`);
    let parser: ReturnType<typeof Busboy>;
    try {
      parser = Busboy({
        headers: request.headers as { 'content-type': string },
        limits: {
          fileSize: maxFileBytes,
          files: 1,
          fields: 10,
          fieldSize: FIELD_MAX_BYTES,
          parts: 12,
          headerPairs: 20,
        },
      });
    } catch {
      reject(new AppError('REQUEST.MALFORMED', 'The multipart body has no valid boundary'));
      return;
    }
    const form = new ImportForm();
    let failure: AppError | null = null;
    const fail = (error: AppError): void => {
      failure ??= error;
    };
    let received = 0;
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxFileBytes + ENVELOPE_MAX_BYTES) {
        payload.unpipe(parser);
        payload.destroy();
        reject(failure ?? tooLarge);
      }
    });
    parser.on('file', (name, stream, fileName) => {
      if (name !== 'file') {
        fail(
          new AppError('VALIDATION.FAILED', 'The import request is invalid', {
            errors: [{ field: name, message: `${name} is not a field of an import`, code: 'unknown_field' }],
          }),
        );
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge));
      stream.on('end', () => {
        if (!stream.truncated) form.file = { fileName: fileName || null, bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated)
        fail(new AppError('REQUEST.TOO_LARGE', `The field ${name} is longer than ${FIELD_MAX_BYTES} bytes`));
      else form.fields[name] = value;
    });
    parser.on('filesLimit', () =>
      fail(
        new AppError('VALIDATION.FAILED', 'The import request is invalid', {
          errors: [{ field: 'file', message: 'send one file per import', code: 'invalid' }],
        }),
      ),
    );
    parser.on('partsLimit', () => fail(new AppError('REQUEST.TOO_LARGE', 'The form has too many parts')));
    parser.on('fieldsLimit', () => fail(new AppError('REQUEST.TOO_LARGE', 'The form has too many fields')));
    parser.on('error', () =>
      reject(failure ?? new AppError('REQUEST.MALFORMED', 'The multipart body is malformed or incomplete')),
    );
    parser.on('finish', () => (failure ? reject(failure) : resolve(form)));
    payload.pipe(parser);
  });
}
