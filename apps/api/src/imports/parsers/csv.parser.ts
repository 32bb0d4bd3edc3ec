import type { ProviderTransaction } from '@dashtam/providers';

import { calendarDate, parseAmount, sha256Hex, transactionIdOf } from './fields';
import { ImportMalformedError, type LineError, type ParsedImport } from './import-file';

export const CSV_DATE_FORMATS = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'DD.MM.YYYY', 'YYYYMMDD', 'M/D/YY'] as const;
export type CsvDateFormat = (typeof CSV_DATE_FORMATS)[number];

/** Which header columns hold what (SPEC §8 `mapping`); saved on the import account for the next file. */
export interface CsvMapping {
  date: string;
  amount: string;
  description: string;
  id?: string;
  date_format?: CsvDateFormat;
  decimal_separator?: '.' | ',';
}

/** Where CSV imports land when the request names no account: one account per user. */
export const CSV_DEFAULT_ACCOUNT_KEY = 'csv:default';

interface Row {
  line: number;
  cells: string[];
}

/**
 * A CSV export with a header row, columns chosen by `mapping`. The delimiter (`,` `;` tab) is read
 * from the header. A row whose date or amount cannot be read is skipped with a line error; an
 * unterminated quote or a header without the mapped columns makes the whole file malformed.
 * Without an `id` column a row's id is a hash of its date, amount and description plus how many
 * identical rows came before it in the file, so the same rows imported again (or in an overlapping
 * export) match, and two identical purchases on one day stay two.
 */
export function parseCsv(text: string, mapping: CsvMapping): ParsedImport {
  const rows = readRows(text);
  const header = rows.shift();
  if (!header) throw new ImportMalformedError([{ line: 1, message: 'the file is empty' }]);
  const columns = header.cells.map((cell) => cell.trim().toLowerCase());
  const indexOf = (name: string | undefined, role: string): number => {
    if (name === undefined) return -1;
    const index = columns.indexOf(name.trim().toLowerCase());
    if (index === -1) {
      throw new ImportMalformedError([
        {
          line: header.line,
          message: `the header has no ${role} column "${name}" (its columns: ${header.cells.join(', ')})`,
        },
      ]);
    }
    return index;
  };
  const at = {
    date: indexOf(mapping.date, 'date'),
    amount: indexOf(mapping.amount, 'amount'),
    description: indexOf(mapping.description, 'description'),
    id: indexOf(mapping.id, 'id'),
  };
  const decimal = mapping.decimal_separator ?? '.';
  const dateFormat = mapping.date_format ?? 'YYYY-MM-DD';

  const errors: LineError[] = [];
  const transactions: ProviderTransaction[] = [];
  const occurrences = new Map<string, number>();
  const seenIds = new Set<string>();
  for (const row of rows) {
    if (row.cells.every((cell) => cell.trim() === '')) continue;
    if (row.cells.length < columns.length) {
      errors.push({
        line: row.line,
        message: `the row has ${row.cells.length} columns, the header ${columns.length}; skipped`,
      });
      continue;
    }
    const rawDate = row.cells[at.date].trim();
    const rawAmount = row.cells[at.amount].trim();
    const description = row.cells[at.description].trim();
    const date = parseCsvDate(rawDate, dateFormat);
    const amount = parseAmount(rawAmount, decimal);
    if (date === null)
      errors.push({ line: row.line, message: `"${rawDate}" is not a date in the format ${dateFormat}; row skipped` });
    if (amount === null) errors.push({ line: row.line, message: `"${rawAmount}" is not an amount; row skipped` });
    if (date === null || amount === null) continue;
    let id: string;
    if (at.id !== -1 && row.cells[at.id].trim() !== '') {
      id = transactionIdOf(row.cells[at.id].trim());
    } else {
      const content = `${date}\n${amount}\n${description}`;
      const n = (occurrences.get(content) ?? 0) + 1;
      occurrences.set(content, n);
      id = `row:${sha256Hex(`${content}\n${n}`)}`;
    }
    if (seenIds.has(id)) {
      errors.push({
        line: row.line,
        message: `the id "${id}" appears more than once in the file; the later row was skipped`,
      });
      continue;
    }
    seenIds.add(id);
    transactions.push({
      providerTransactionId: id,
      date,
      settlementDate: null,
      description: description === '' ? null : description,
      type: amount.startsWith('-') ? 'withdrawal' : 'deposit',
      rawType: 'CSV',
      status: 'posted',
      amount,
      currency: 'USD',
      symbol: null,
      quantity: null,
      price: null,
      fees: '0',
      details: {},
    });
  }
  if (transactions.length === 0 && errors.length > 0) throw new ImportMalformedError(errors);
  return {
    format: 'csv',
    institution: { key: 'csv', name: null },
    statements: [
      {
        accountKey: CSV_DEFAULT_ACCOUNT_KEY,
        mask: null,
        name: 'CSV import',
        accountType: 'other',
        institutionAccountType: 'CSV',
        currency: 'USD',
        balance: null,
        positions: null,
        transactions,
      },
    ],
    errors,
  };
}

/** RFC 4180 rows with their first line numbers; quoted cells may hold delimiters, quotes and newlines. */
function readRows(text: string): Row[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].reduce(
    (best, d) => (count(firstLine, d) > count(firstLine, best) ? d : best),
    ',',
  );
  const rows: Row[] = [];
  let line = 1;
  let cells: string[] = [];
  let cell = '';
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line += 1;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line += 1;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) {
    throw new ImportMalformedError([
      { line: quoteLine, message: 'a quoted value opened on this line is never closed: the file looks truncated' },
    ]);
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows.filter((row) => !(row.cells.length === 1 && row.cells[0].trim() === ''));
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

const DATE_PATTERNS: Record<
  CsvDateFormat,
  { pattern: RegExp; order: ['y' | 'm' | 'd', 'y' | 'm' | 'd', 'y' | 'm' | 'd'] }
> = {
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})/, order: ['y', 'm', 'd'] },
  'MM/DD/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: ['m', 'd', 'y'] },
  'DD/MM/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: ['d', 'm', 'y'] },
  'DD.MM.YYYY': { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: ['d', 'm', 'y'] },
  YYYYMMDD: { pattern: /^(\d{4})(\d{2})(\d{2})$/, order: ['y', 'm', 'd'] },
  'M/D/YY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/, order: ['m', 'd', 'y'] },
};

export function parseCsvDate(raw: string, format: CsvDateFormat): string | null {
  const { pattern, order } = DATE_PATTERNS[format];
  const match = pattern.exec(raw);
  if (!match) return null;
  const parts: Record<string, number> = {};
  order.forEach((key, i) => (parts[key] = Number(match[i + 1])));
  const year = format === 'M/D/YY' ? 2000 + parts.y : parts.y;
  return calendarDate(year, parts.m, parts.d);
}
