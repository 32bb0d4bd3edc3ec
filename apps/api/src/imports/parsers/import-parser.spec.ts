import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CsvMapping } from './csv.parser';
import { ImportMalformedError, type LineError } from './import-file';
import { detectFormat, parseImportFile } from './import-parser';

const FIXTURES = join(__dirname, '../../../test/imports/fixtures');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const auto = { format: null, mapping: null };

function malformed(run: () => unknown): LineError[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportMalformedError) return error.errors;
    throw error;
  }
  throw new Error('expected ImportMalformedError');
}

describe('OFX 1.x (SGML, unclosed leaves): a bank checking statement', () => {
  const parsed = parseImportFile(fixture('maple-valley-checking-2025-03.ofx'), auto);
  const [statement] = parsed.statements;

  it('reads the institution, the account (mask only, number hashed) and the balances', () => {
    expect(parsed.format).toBe('ofx');
    expect(parsed.institution).toEqual({ key: 'fid:10898', name: 'Maple Valley Bank' });
    expect(statement).toMatchObject({
      mask: '6789',
      accountType: 'checking',
      institutionAccountType: 'CHECKING',
      currency: 'USD',
    });
    expect(statement.accountKey).toMatch(/^imp_[0-9a-f]{64}$/);
    expect(JSON.stringify(parsed)).not.toContain('123456789');
    expect(statement.balance).toEqual({
      current: '5203.66',
      available: '5103.66',
      cash: '5203.66',
      holdings: null,
      asOf: new Date('2025-03-31T23:59:59Z'),
    });
    expect(parsed.errors).toEqual([]);
  });

  it('maps TRNTYPE into the unified vocabulary and keeps the raw type', () => {
    expect(statement.transactions.map((t) => [t.providerTransactionId, t.date, t.type, t.rawType, t.amount])).toEqual([
      ['MVB20250301001', '2025-03-01', 'deposit', 'DIRECTDEP', '2450'],
      ['MVB20250303002', '2025-03-03', 'withdrawal', 'POS', '-42.17'],
      ['MVB20250305003', '2025-03-05', 'withdrawal', 'CHECK', '-1200'],
      ['MVB20250310004', '2025-03-10', 'fee', 'SRVCHG', '-5'],
      ['MVB20250331005', '2025-03-31', 'interest', 'INT', '0.83'],
    ]);
    expect(statement.transactions[0]).toMatchObject({ description: 'ACME PAYROLL', details: { memo: 'Salary March' } });
    expect(statement.transactions[2].details).toEqual({ check_number: '1042' });
  });
});

describe('OFX 2.x (XML): a credit card statement', () => {
  const parsed = parseImportFile(fixture('harbor-card-2025-04.ofx'), auto);
  const [statement] = parsed.statements;

  it('is a credit account with its transactions, entities decoded and grouped amounts read', () => {
    expect(parsed.institution).toEqual({ key: 'fid:55021', name: 'Harbor Card Services' });
    expect(statement).toMatchObject({
      mask: '4444',
      accountType: 'credit',
      name: 'Harbor Card Services Credit card ...4444',
    });
    expect(statement.transactions.map((t) => [t.type, t.amount, t.description])).toEqual([
      ['withdrawal', '-86.4', 'CITY BOOKS & COFFEE'],
      ['withdrawal', '-1234.56', 'NORTHWIND AIRLINES'],
      ['transfer', '500', 'PAYMENT THANK YOU'],
      ['fee', '-39', 'LATE FEE'],
    ]);
    expect(statement.balance).toMatchObject({ current: '-859.96', available: '4140.04' });
  });
});

describe('QFX: a brokerage statement with INTU.BID, positions and a security list', () => {
  const parsed = parseImportFile(fixture('cedar-ridge-brokerage-2025-04.qfx'), auto);
  const [statement] = parsed.statements;

  it('is detected as QFX and reads investment transactions with tickers from the security list', () => {
    expect(parsed.format).toBe('qfx');
    expect(statement).toMatchObject({ mask: '1234', accountType: 'individual', institutionAccountType: 'INVESTMENT' });
    expect(
      statement.transactions.map((t) => [t.type, t.rawType, t.symbol, t.quantity, t.price, t.amount, t.fees]),
    ).toEqual([
      ['buy', 'BUYSTOCK', 'NRTH', '10', '182.5', '-1826', '1'],
      ['dividend', 'INCOME:DIV', 'VTOTX', null, null, '37.12', '0'],
      ['sell', 'SELLSTOCK', 'NRTH', '-4', '190', '758.98', '1.02'],
      ['deposit', 'CREDIT', null, null, null, '2000', '0'],
    ]);
    expect(statement.transactions[0]).toMatchObject({ date: '2025-04-02', settlementDate: '2025-04-03' });
  });

  it('reads positions and values the account as cash plus holdings', () => {
    expect(statement.positions?.map((p) => [p.symbol, p.assetType, p.quantity, p.marketValue])).toEqual([
      ['NRTH', 'equity', '6', '1147.5'],
      ['VTOTX', 'mutual_fund', '52.318', '6283.39'],
    ]);
    expect(statement.balance).toMatchObject({ current: '8400.99', cash: '970.1', holdings: '7430.89' });
    expect(statement.balance?.asOf).toEqual(new Date('2025-04-30T20:00:00Z'));
  });
});

describe('CSV with a column mapping', () => {
  const riverside: CsvMapping = {
    date: 'Posting Date',
    amount: 'Amount',
    description: 'Description',
    id: 'Reference',
    date_format: 'MM/DD/YYYY',
  };

  it('reads a US bank export with an id column', () => {
    const parsed = parseImportFile(fixture('riverside-cu-2025-04.csv'), { format: null, mapping: riverside });
    expect(parsed.format).toBe('csv');
    expect(parsed.statements[0].transactions.map((t) => [t.providerTransactionId, t.date, t.amount, t.type])).toEqual([
      ['RCU0401A', '2025-04-01', '2450', 'deposit'],
      ['RCU0402A', '2025-04-02', '-4.75', 'withdrawal'],
      ['RCU0402B', '2025-04-02', '-4.75', 'withdrawal'],
      ['RCU0407A', '2025-04-07', '-88.19', 'withdrawal'],
      ['RCU0409A', '2025-04-09', '1.02', 'deposit'],
    ]);
    expect(parsed.statements[0].transactions[3].description).toBe('ELECTRIC CO, AUTOPAY');
  });

  it('reads a Windows-1252 export with semicolons and decimal commas; identical rows get distinct stable ids', () => {
    const mapping: CsvMapping = {
      date: 'Buchungstag',
      amount: 'Betrag',
      description: 'Empfänger',
      date_format: 'DD.MM.YYYY',
      decimal_separator: ',',
    };
    const parsed = parseImportFile(fixture('alpenbank-2025-04-cp1252.csv'), { format: 'csv', mapping });
    const rows = parsed.statements[0].transactions;
    expect(rows.map((t) => [t.description, t.amount, t.date])).toEqual([
      ['Café Lumière', '-12.8', '2025-04-03'],
      ['Café Lumière', '-12.8', '2025-04-03'],
      ['Bäckerei Müller', '-6.45', '2025-04-05'],
      ['Société Générale Crédit', '1250', '2025-04-10'],
      ['Señor Peña Librería', '-45', '2025-04-15'],
    ]);
    expect(new Set(rows.map((t) => t.providerTransactionId)).size).toBe(5);
    const again = parseImportFile(fixture('alpenbank-2025-04-cp1252.csv'), { format: 'csv', mapping });
    expect(again.statements[0].transactions.map((t) => t.providerTransactionId)).toEqual(
      rows.map((t) => t.providerTransactionId),
    );
  });

  it('skips bad rows with line errors and keeps the good ones', () => {
    const text =
      'Date,Amount,Memo\n2025-04-01,10.00,ok\n2025-13-01,5.00,bad month\n2025-04-02,abc,bad amount\n2025-04-03,-1.50,ok too\n';
    const parsed = parseImportFile(Buffer.from(text), {
      format: 'csv',
      mapping: { date: 'Date', amount: 'Amount', description: 'Memo' },
    });
    expect(parsed.statements[0].transactions).toHaveLength(2);
    expect(parsed.errors).toEqual([
      { line: 3, message: expect.stringContaining('"2025-13-01" is not a date') },
      { line: 4, message: expect.stringContaining('"abc" is not an amount') },
    ]);
  });

  it('refuses a header without the mapped columns, and an unterminated quote, naming the line', () => {
    expect(
      malformed(() =>
        parseImportFile(Buffer.from('When,How much\n2025-04-01,1\n'), {
          format: 'csv',
          mapping: { date: 'Date', amount: 'Amount', description: 'Memo' },
        }),
      ),
    ).toEqual([{ line: 1, message: expect.stringContaining('no date column "Date"') }]);
    const cut = 'Date,Amount,Memo\n2025-04-01,1.00,fine\n2025-04-02,2.00,"cut in the mid';
    expect(
      malformed(() =>
        parseImportFile(Buffer.from(cut), {
          format: 'csv',
          mapping: { date: 'Date', amount: 'Amount', description: 'Memo' },
        }),
      ),
    ).toEqual([{ line: 3, message: expect.stringContaining('never closed') }]);
  });
});

describe('malformed OFX and encodings', () => {
  const sgml = fixture('maple-valley-checking-2025-03.ofx').toString('latin1');

  it('names the last line of a truncated SGML file and the aggregate left open', () => {
    const cut = sgml.slice(0, sgml.indexOf('MVB20250310004'));
    const lines = cut.trimEnd().split('\n').length;
    expect(malformed(() => parseImportFile(Buffer.from(cut), auto))).toEqual([
      { line: lines, message: expect.stringMatching(/ends inside <STMTTRN> \(opened on line \d+\).*truncated/) },
    ]);
  });

  it('names the line of a closing tag that skips an open aggregate (unbalanced XML)', () => {
    const xml = fixture('harbor-card-2025-04.ofx').toString('utf8').replace('</BANKTRANLIST>', '');
    const line = xml.split('\n').findIndex((l) => l.includes('</CCSTMTRS>')) + 1;
    expect(malformed(() => parseImportFile(Buffer.from(xml), auto))).toEqual([
      {
        line,
        message: expect.stringMatching(
          /^<\/CCSTMTRS> found where <\/BANKTRANLIST> \(opened on line \d+\) was expected$/,
        ),
      },
    ]);
  });

  it('skips a transaction with a bad date or amount with a line error', () => {
    const bad = sgml.replace('<DTPOSTED>20250303', '<DTPOSTED>20250231').replace('<TRNAMT>-5.00', '<TRNAMT>five');
    const parsed = parseImportFile(Buffer.from(bad, 'latin1'), auto);
    expect(parsed.statements[0].transactions.map((t) => t.providerTransactionId)).toEqual([
      'MVB20250301001',
      'MVB20250305003',
      'MVB20250331005',
    ]);
    const lineOf = (needle: string): number => bad.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(parsed.errors).toEqual([
      { line: lineOf('20250231'), message: '<DTPOSTED> "20250231" is not a date' },
      { line: lineOf('<TRNAMT>five'), message: '<TRNAMT> "five" is not an amount' },
    ]);
  });

  it('refuses binary content and invalid UTF-8 in a file that declares UTF-8', () => {
    expect(
      malformed(() => parseImportFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), auto))[0].message,
    ).toContain('not text');
    const declared = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<OFX>\n<NAME>'),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('</NAME></OFX>'),
    ]);
    expect(malformed(() => parseImportFile(declared, auto))).toEqual([
      { line: 3, message: expect.stringContaining('not valid UTF-8') },
    ]);
  });

  it('refuses a file with no statement and detects formats', () => {
    expect(
      malformed(() => parseImportFile(Buffer.from('<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>'), auto))[0].message,
    ).toContain('no bank');
    expect(detectFormat('OFXHEADER:100\nDATA:OFXSGML\n<OFX>')).toBe('ofx');
    expect(detectFormat('Date,Amount\n')).toBe('csv');
  });
});
