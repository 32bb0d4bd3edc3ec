import { AppError, type FieldError } from '../common/errors';
import { CSV_DATE_FORMATS, type CsvMapping } from './parsers/csv.parser';
import { IMPORT_FORMATS, type ImportFormat } from './parsers/import-file';

/** The file part of a `POST /api/v1/imports` form, as the multipart parser read it. */
export interface UploadedFile {
  fileName: string | null;
  bytes: Buffer;
}

/** The form's parts: the file and the text fields, nothing parsed yet (made by the multipart parser only). */
export class ImportForm {
  file: UploadedFile | null = null;
  // No prototype: a field named `__proto__` is kept as a field (and refused as unknown), not swallowed.
  fields: Record<string, string> = Object.create(null) as Record<string, string>;
}

export interface ImportRequest {
  file: UploadedFile;
  format: ImportFormat | null;
  accountId: string | null;
  mapping: CsvMapping | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = new Set(['format', 'account_id', 'mapping']);
const MAPPING_KEYS = new Set(['date', 'amount', 'description', 'id', 'date_format', 'decimal_separator']);

/** The form validated field by field, every problem reported at once in the one 400 shape. */
export function toImportRequest(form: unknown): ImportRequest {
  // A JSON body parses too, but only the multipart parser makes an ImportForm.
  if (!(form instanceof ImportForm)) {
    throw new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', 'POST /api/v1/imports takes multipart/form-data');
  }
  const errors: FieldError[] = [];
  const fields = form.fields;
  for (const name of Object.keys(fields)) {
    if (!FIELDS.has(name))
      errors.push({ field: name, message: `${name} is not a field of an import`, code: 'unknown_field' });
  }
  if (!form?.file)
    errors.push({ field: 'file', message: 'file is required: the OFX, QFX or CSV export', code: 'required' });
  const format = fields.format ?? null;
  if (format !== null && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
    errors.push({ field: 'format', message: `format must be one of ${IMPORT_FORMATS.join(', ')}`, code: 'invalid' });
  }
  const accountId = fields.account_id ?? null;
  if (accountId !== null && !UUID.test(accountId)) {
    errors.push({ field: 'account_id', message: 'account_id must be a UUID', code: 'invalid' });
  }
  const mapping = fields.mapping === undefined ? null : parseMapping(fields.mapping, errors);
  if (errors.length > 0) throw new AppError('VALIDATION.FAILED', 'The import request is invalid', { errors });
  return { file: form.file!, format: format as ImportFormat | null, accountId, mapping };
}

function parseMapping(text: string, errors: FieldError[]): CsvMapping | null {
  const fail = (message: string, field = 'mapping'): null => {
    errors.push({ field, message, code: 'invalid' });
    return null;
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('mapping must be a JSON object {date, amount, description, id?, date_format?, decimal_separator?}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('mapping must be a JSON object');
  const mapping = value as Record<string, unknown>;
  const before = errors.length;
  for (const key of Object.keys(mapping)) {
    if (!MAPPING_KEYS.has(key)) fail(`${key} is not a mapping key`, `mapping.${key}`);
  }
  for (const key of ['date', 'amount', 'description', 'id']) {
    const column = mapping[key];
    if (column === undefined && key === 'id') continue;
    if (typeof column !== 'string' || column.trim() === '' || column.length > 200) {
      fail(`${key} must name a column of the file's header`, `mapping.${key}`);
    }
  }
  if (mapping.date_format !== undefined && !(CSV_DATE_FORMATS as readonly unknown[]).includes(mapping.date_format)) {
    fail(`date_format must be one of ${CSV_DATE_FORMATS.join(', ')}`, 'mapping.date_format');
  }
  if (
    mapping.decimal_separator !== undefined &&
    mapping.decimal_separator !== '.' &&
    mapping.decimal_separator !== ','
  ) {
    fail('decimal_separator must be "." or ","', 'mapping.decimal_separator');
  }
  return errors.length > before ? null : (mapping as unknown as CsvMapping);
}
