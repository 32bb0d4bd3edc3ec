import type {
  AccountType,
  AssetType,
  ProviderPosition,
  ProviderTransaction,
  TransactionType,
} from '@dashtam/providers';
import { addDecimals, absDecimal, signOf } from '@dashtam/providers';

import { accountKeyOf, calendarDate, maskOf, parseAmount, transactionIdOf } from './fields';
import type { ImportFormat, LineError, ParsedBalance, ParsedImport, ParsedStatement } from './import-file';
import { ImportMalformedError } from './import-file';
import { child, children, descendants, type OfxNode, parseOfxTree, valueOf } from './ofx-tree';

// Bank and card STMTTRN types (OFX 2.2 §11.4.4.3) in the unified vocabulary; the raw type is kept too.
const BANK_TYPES: Record<string, TransactionType> = {
  CREDIT: 'deposit',
  DEBIT: 'withdrawal',
  INT: 'interest',
  DIV: 'dividend',
  FEE: 'fee',
  SRVCHG: 'fee',
  DEP: 'deposit',
  ATM: 'withdrawal',
  POS: 'withdrawal',
  XFER: 'transfer',
  CHECK: 'withdrawal',
  PAYMENT: 'withdrawal',
  CASH: 'withdrawal',
  DIRECTDEP: 'deposit',
  DIRECTDEBIT: 'withdrawal',
  REPEATPMT: 'withdrawal',
  HOLD: 'other',
  OTHER: 'other',
};

// Investment transaction aggregates (OFX 2.2 §13.9.2.4).
const INVESTMENT_TYPES: Record<string, TransactionType> = {
  BUYDEBT: 'buy',
  BUYMF: 'buy',
  BUYOPT: 'buy',
  BUYOTHER: 'buy',
  BUYSTOCK: 'buy',
  REINVEST: 'buy',
  SELLDEBT: 'sell',
  SELLMF: 'sell',
  SELLOPT: 'sell',
  SELLOTHER: 'sell',
  SELLSTOCK: 'sell',
  CLOSUREOPT: 'other',
  INCOME: 'dividend',
  INVEXPENSE: 'fee',
  MARGININTEREST: 'interest',
  RETOFCAP: 'other',
  SPLIT: 'other',
  TRANSFER: 'transfer',
  JRNLFUND: 'journal',
  JRNLSEC: 'journal',
};

const ACCOUNT_TYPES: Record<string, AccountType> = {
  CHECKING: 'checking',
  SAVINGS: 'savings',
  MONEYMRKT: 'savings',
  CD: 'savings',
  CREDITLINE: 'credit',
};

const POSITION_ASSET_TYPES: Record<string, AssetType> = {
  POSSTOCK: 'equity',
  POSMF: 'mutual_fund',
  POSOPT: 'option',
  POSDEBT: 'fixed_income',
  POSOTHER: 'other',
};

interface Institution {
  key: string;
  name: string | null;
}

/** An OFX 1.x/2.x or QFX file: the institution from SIGNON, one statement per bank, card or investment account. */
export function parseOfx(text: string, format: Extract<ImportFormat, 'ofx' | 'qfx'>): ParsedImport {
  const { root } = parseOfxTree(text);
  const institution = institutionOf(root);
  const errors: LineError[] = [];
  const statements: ParsedStatement[] = [];
  const securities = securitiesOf(root);
  for (const rs of descendants(root, 'STMTRS')) statements.push(bankStatement(rs, 'BANKACCTFROM', institution, errors));
  for (const rs of descendants(root, 'CCSTMTRS')) statements.push(bankStatement(rs, 'CCACCTFROM', institution, errors));
  for (const rs of descendants(root, 'INVSTMTRS'))
    statements.push(investmentStatement(rs, institution, securities, errors));
  if (statements.length === 0) {
    throw new ImportMalformedError([
      { line: root.line, message: 'the file holds no bank, credit card or investment statement' },
    ]);
  }
  return { format, institution, statements, errors };
}

function institutionOf(root: OfxNode): Institution {
  const sonrs = child(root, 'SIGNONMSGSRSV1', 'SONRS');
  const org = valueOf(sonrs, 'FI', 'ORG');
  const fid = valueOf(sonrs, 'FI', 'FID') ?? valueOf(sonrs, 'INTU.BID');
  const routing = descendants(root, 'BANKID')[0]?.value ?? descendants(root, 'BROKERID')[0]?.value ?? null;
  const key = fid ? `fid:${fid}` : org ? `org:${org.toLowerCase()}` : routing ? `id:${routing.toLowerCase()}` : 'ofx';
  return { key, name: org ?? null };
}

function bankStatement(
  rs: OfxNode,
  fromName: 'BANKACCTFROM' | 'CCACCTFROM',
  institution: Institution,
  errors: LineError[],
): ParsedStatement {
  const from = required(child(rs, fromName), rs, `<${fromName}>`);
  const accountNumber = requiredValue(from, 'ACCTID');
  const rawType = fromName === 'CCACCTFROM' ? 'CREDITCARD' : (valueOf(from, 'ACCTTYPE') ?? 'CHECKING').toUpperCase();
  const accountType = fromName === 'CCACCTFROM' ? 'credit' : (ACCOUNT_TYPES[rawType] ?? 'other');
  const currency = currencyOf(valueOf(rs, 'CURDEF'));
  const transactions: ProviderTransaction[] = [];
  for (const trn of children(child(rs, 'BANKTRANLIST'), 'STMTTRN')) {
    const row = stmtTrn(trn, currency, errors);
    if (row) transactions.push(row);
  }
  const ledger = child(rs, 'LEDGERBAL');
  const available = child(rs, 'AVAILBAL');
  let balance: ParsedBalance | null = null;
  if (ledger) {
    const current = amountOf(ledger, 'BALAMT', errors);
    const asOf = instantOf(ledger, 'DTASOF', errors);
    if (current !== null && asOf !== null) {
      balance = {
        current,
        available: available ? amountOf(available, 'BALAMT', errors) : null,
        cash: current,
        holdings: null,
        asOf,
      };
    }
  }
  return {
    accountKey: accountKeyOf(institution.key, accountNumber),
    mask: maskOf(accountNumber),
    name: accountName(institution, rawType, accountNumber),
    accountType,
    institutionAccountType: rawType,
    currency,
    balance,
    positions: null,
    transactions: dedupe(transactions, errors, trnLines(rs)),
  };
}

function investmentStatement(
  rs: OfxNode,
  institution: Institution,
  securities: Map<string, Security>,
  errors: LineError[],
): ParsedStatement {
  const from = required(child(rs, 'INVACCTFROM'), rs, '<INVACCTFROM>');
  const accountNumber = requiredValue(from, 'ACCTID');
  const currency = currencyOf(valueOf(rs, 'CURDEF'));
  const transactions: ProviderTransaction[] = [];
  for (const node of child(rs, 'INVTRANLIST')?.children ?? []) {
    if (node.name === 'DTSTART' || node.name === 'DTEND') continue;
    const row =
      node.name === 'INVBANKTRAN'
        ? stmtTrn(child(node, 'STMTTRN'), currency, errors, node)
        : invTrn(node, currency, securities, errors);
    if (row) transactions.push(row);
  }
  const asOf = child(rs, 'DTASOF') ? instantOf(rs, 'DTASOF', errors) : null;
  const positions: ProviderPosition[] = [];
  for (const pos of child(rs, 'INVPOSLIST')?.children ?? []) {
    const position = positionOf(pos, securities, errors);
    if (position) positions.push(position);
  }
  const cash = child(rs, 'INVBAL') ? amountOf(child(rs, 'INVBAL')!, 'AVAILCASH', errors) : null;
  const holdings = positions.reduce((sum, p) => addDecimals(sum, p.marketValue ?? '0'), '0');
  const balance: ParsedBalance | null =
    asOf === null ? null : { current: addDecimals(cash ?? '0', holdings), available: cash, cash, holdings, asOf };
  return {
    accountKey: accountKeyOf(institution.key, accountNumber),
    mask: maskOf(accountNumber),
    name: accountName(institution, 'INVESTMENT', accountNumber),
    accountType: 'individual',
    institutionAccountType: 'INVESTMENT',
    currency,
    balance,
    positions,
    transactions: dedupe(transactions, errors, trnLines(rs)),
  };
}

function stmtTrn(
  trn: OfxNode | null,
  currency: string,
  errors: LineError[],
  container?: OfxNode,
): ProviderTransaction | null {
  if (!trn) {
    errors.push({ line: container?.line ?? 1, message: 'an <INVBANKTRAN> without its <STMTTRN> was skipped' });
    return null;
  }
  const before = errors.length;
  const fitid = valueOf(trn, 'FITID');
  if (!fitid) errors.push({ line: trn.line, message: 'a transaction without <FITID> was skipped' });
  const rawType = (valueOf(trn, 'TRNTYPE') ?? 'OTHER').toUpperCase();
  const date = dateOf(trn, 'DTPOSTED', errors);
  const amount = amountOf(trn, 'TRNAMT', errors);
  if (errors.length > before || !fitid || date === null || amount === null) return null;
  let type = BANK_TYPES[rawType] ?? 'other';
  // A PAYMENT into an account (a card payment received) is money arriving, not leaving.
  if (rawType === 'PAYMENT' && signOf(amount) > 0) type = 'transfer';
  const name = valueOf(trn, 'NAME') ?? valueOf(trn, 'PAYEE', 'NAME');
  const memo = valueOf(trn, 'MEMO');
  const details: Record<string, unknown> = {};
  if (memo && name) details.memo = memo;
  const check = valueOf(trn, 'CHECKNUM');
  if (check) details.check_number = check;
  return {
    providerTransactionId: transactionIdOf(fitid),
    date,
    settlementDate: null,
    description: name ?? memo,
    type,
    rawType,
    status: 'posted',
    amount,
    currency: currencyOf(valueOf(trn, 'CURRENCY', 'CURSYM') ?? currency),
    symbol: null,
    quantity: null,
    price: null,
    fees: '0',
    details,
  };
}

function invTrn(
  node: OfxNode,
  currency: string,
  securities: Map<string, Security>,
  errors: LineError[],
): ProviderTransaction | null {
  const type = INVESTMENT_TYPES[node.name];
  if (!type) {
    errors.push({ line: node.line, message: `<${node.name}> is not an investment transaction Dashtam reads; skipped` });
    return null;
  }
  // BUY*/SELL* wrap the common fields in INVBUY/INVSELL; the others carry them directly.
  const body = child(node, 'INVBUY') ?? child(node, 'INVSELL') ?? node;
  const invtran = child(body, 'INVTRAN') ?? child(node, 'INVTRAN');
  if (!invtran) {
    errors.push({ line: node.line, message: `<${node.name}> without <INVTRAN> was skipped` });
    return null;
  }
  const before = errors.length;
  const fitid = valueOf(invtran, 'FITID');
  if (!fitid) errors.push({ line: invtran.line, message: 'a transaction without <FITID> was skipped' });
  const date = dateOf(invtran, 'DTTRADE', errors);
  const settlementDate = child(invtran, 'DTSETTLE') ? dateOf(invtran, 'DTSETTLE', errors) : null;
  const amount = child(body, 'TOTAL') ? amountOf(body, 'TOTAL', errors) : '0';
  const quantity = child(body, 'UNITS') ? amountOf(body, 'UNITS', errors) : null;
  const price = child(body, 'UNITPRICE') ? amountOf(body, 'UNITPRICE', errors) : null;
  let fees = '0';
  for (const field of ['COMMISSION', 'FEES', 'TAXES', 'LOAD']) {
    if (child(body, field)) fees = addDecimals(fees, absDecimal(amountOf(body, field, errors) ?? '0'));
  }
  if (errors.length > before || !fitid || date === null || amount === null) return null;
  const incomeType = (valueOf(node, 'INCOMETYPE') ?? '').toUpperCase();
  const security = securities.get(securityIdOf(child(body, 'SECID') ?? child(node, 'SECID')) ?? '');
  return {
    providerTransactionId: transactionIdOf(fitid),
    date,
    settlementDate,
    description: valueOf(invtran, 'MEMO') ?? security?.name ?? node.name,
    type:
      node.name === 'INCOME' && incomeType === 'INTEREST'
        ? 'interest'
        : node.name === 'INCOME' && incomeType === 'MISC'
          ? 'other'
          : type,
    rawType: incomeType ? `${node.name}:${incomeType}` : node.name,
    status: 'posted',
    amount,
    currency: currencyOf(valueOf(body, 'CURRENCY', 'CURSYM') ?? currency),
    symbol: security?.ticker ?? null,
    quantity,
    price,
    fees,
    details: security?.cusip ? { security_id: security.cusip } : {},
  };
}

interface Security {
  cusip: string;
  ticker: string | null;
  name: string | null;
  assetType: AssetType;
}

function securityIdOf(secid: OfxNode | null): string | null {
  return valueOf(secid, 'UNIQUEID');
}

// SECLIST: what the statement's SECIDs (CUSIPs) are — ticker and name.
function securitiesOf(root: OfxNode): Map<string, Security> {
  const map = new Map<string, Security>();
  const seclist = child(root, 'SECLISTMSGSRSV1', 'SECLIST');
  for (const info of seclist?.children ?? []) {
    const secinfo = child(info, 'SECINFO');
    const cusip = securityIdOf(child(secinfo, 'SECID'));
    if (!cusip) continue;
    const assetType: AssetType =
      info.name === 'MFINFO'
        ? 'mutual_fund'
        : info.name === 'OPTINFO'
          ? 'option'
          : info.name === 'DEBTINFO'
            ? 'fixed_income'
            : info.name === 'STOCKINFO'
              ? 'equity'
              : 'other';
    map.set(cusip, { cusip, ticker: valueOf(secinfo, 'TICKER'), name: valueOf(secinfo, 'SECNAME'), assetType });
  }
  return map;
}

function positionOf(pos: OfxNode, securities: Map<string, Security>, errors: LineError[]): ProviderPosition | null {
  const invpos = child(pos, 'INVPOS');
  if (!invpos) return null;
  const cusip = securityIdOf(child(invpos, 'SECID'));
  const before = errors.length;
  const units = amountOf(invpos, 'UNITS', errors);
  // UNITPRICE is the market price as of DTPRICEASOF, not the average cost: the market value says it all.
  const marketValue = child(invpos, 'MKTVAL') ? amountOf(invpos, 'MKTVAL', errors) : null;
  if (!cusip || units === null || errors.length > before) {
    if (!cusip) errors.push({ line: pos.line, message: 'a position without <SECID> was skipped' });
    return null;
  }
  const security = securities.get(cusip);
  const short = (valueOf(invpos, 'POSTYPE') ?? 'LONG').toUpperCase() === 'SHORT' && !units.startsWith('-');
  return {
    providerPositionId: `${pos.name}:${cusip}`,
    symbol: security?.ticker ?? cusip,
    description: security?.name ?? null,
    assetType: POSITION_ASSET_TYPES[pos.name] ?? security?.assetType ?? 'other',
    rawAssetType: pos.name,
    quantity: short ? `-${units}` : units,
    averagePrice: null,
    marketValue,
    costBasis: null,
  };
}

function dedupe(rows: ProviderTransaction[], errors: LineError[], lines: Map<string, number>): ProviderTransaction[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (!seen.has(row.providerTransactionId)) {
      seen.add(row.providerTransactionId);
      return true;
    }
    errors.push({
      line: lines.get(row.providerTransactionId) ?? 1,
      message: `FITID ${row.providerTransactionId} appears more than once in the statement; the later one was skipped`,
    });
    return false;
  });
}

// The last line each FITID appears on (the duplicate's line, for the error above).
function trnLines(rs: OfxNode): Map<string, number> {
  const lines = new Map<string, number>();
  for (const fitid of descendants(rs, 'FITID')) if (fitid.value) lines.set(transactionIdOf(fitid.value), fitid.line);
  return lines;
}

function accountName(institution: Institution, rawType: string, accountNumber: string): string {
  const label = rawType === 'CREDITCARD' ? 'Credit card' : rawType === 'INVESTMENT' ? 'Investment' : titleCase(rawType);
  const mask = maskOf(accountNumber);
  return [institution.name, label, mask ? `...${mask}` : null].filter(Boolean).join(' ');
}

function titleCase(text: string): string {
  return text.charAt(0) + text.slice(1).toLowerCase();
}

function required(node: OfxNode | null, parent: OfxNode, what: string): OfxNode {
  if (!node) throw new ImportMalformedError([{ line: parent.line, message: `the statement has no ${what}` }]);
  return node;
}

function requiredValue(node: OfxNode, name: string): string {
  const value = valueOf(node, name);
  if (!value) throw new ImportMalformedError([{ line: node.line, message: `<${node.name}> has no <${name}>` }]);
  return value;
}

function amountOf(node: OfxNode, name: string, errors: LineError[]): string | null {
  const field = child(node, name);
  const value = field?.value ? parseAmount(field.value, field.value.includes('.') ? '.' : ',') : null;
  if (value === null) {
    errors.push({
      line: field?.line ?? node.line,
      message: `<${name}> ${field?.value ? `"${field.value}" is not an amount` : 'is missing'}`,
    });
  }
  return value;
}

// OFX datetime: YYYYMMDD[HHMMSS[.XXX]][[±h[.mm]][:TZ]].
const OFX_DATETIME =
  /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(?:(\d{2})(?:\.\d{1,3})?)?)?\s*(?:\[\s*([+-]?\d{1,2}(?:\.\d+)?)\s*(?::[A-Za-z]+)?\s*\])?$/;

function parseDateTime(value: string): { date: string; instant: Date } | null {
  const match = OFX_DATETIME.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', offset = '0'] = match;
  const date = calendarDate(Number(y), Number(mo), Number(d));
  if (!date || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return null;
  const instant = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - Number(offset) * 3_600_000,
  );
  return { date, instant };
}

function dateOf(node: OfxNode, name: string, errors: LineError[]): string | null {
  const field = child(node, name);
  const parsed = field?.value ? parseDateTime(field.value) : null;
  if (!parsed)
    errors.push({
      line: field?.line ?? node.line,
      message: `<${name}> ${field?.value ? `"${field.value}" is not a date` : 'is missing'}`,
    });
  return parsed?.date ?? null;
}

function instantOf(node: OfxNode, name: string, errors: LineError[]): Date | null {
  const field = child(node, name);
  const parsed = field?.value ? parseDateTime(field.value) : null;
  if (!parsed)
    errors.push({
      line: field?.line ?? node.line,
      message: `<${name}> ${field?.value ? `"${field.value}" is not a date` : 'is missing'}`,
    });
  return parsed?.instant ?? null;
}

function currencyOf(code: string | null): string {
  const upper = (code ?? '').trim().toUpperCase();
  return /^[A-Z]{3}$/.test(upper) ? upper : 'USD';
}
