import { type CsvMapping, parseCsv } from './csv.parser';
import { decodeImportFile } from './decode';
import { type ImportFormat, ImportMalformedError, type ParsedImport } from './import-file';
import { parseOfx } from './ofx.parser';

/** The format a file is in, from its content: OFX 1.x header or `<OFX>`, QFX when Quicken's INTU.BID is in it. */
export function detectFormat(text: string): ImportFormat {
  const head = text.slice(0, 4096);
  if (/^\s*(?:OFXHEADER\s*:|<\?xml|<\?OFX|<OFX>)/i.test(head) || /<OFX>/i.test(head)) {
    return /<INTU\.BID>/i.test(text) ? 'qfx' : 'ofx';
  }
  return 'csv';
}

export interface ParseOptions {
  /** As the request says, or null to detect it. */
  format: ImportFormat | null;
  /** CSV only: the request's mapping, or the one saved on the account. */
  mapping: CsvMapping | null;
}

/** Bytes → statements. Throws ImportMalformedError (with lines) when the file cannot be read as a whole. */
export function parseImportFile(bytes: Buffer, options: ParseOptions): ParsedImport {
  const text = decodeImportFile(bytes);
  if (text.trim() === '') throw new ImportMalformedError([{ line: 1, message: 'the file is empty' }]);
  const format = options.format ?? detectFormat(text);
  if (format === 'csv') {
    if (!options.mapping) throw new CsvMappingRequiredError();
    return parseCsv(text, options.mapping);
  }
  return parseOfx(text, format);
}

/** A CSV file with no mapping in the request and none saved on the account. */
export class CsvMappingRequiredError extends Error {
  constructor() {
    super('A CSV file needs a mapping (or an account_id whose mapping was saved by an earlier import)');
    this.name = 'CsvMappingRequiredError';
  }
}
