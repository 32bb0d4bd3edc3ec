/**
 * Exact decimal strings for money and quantities. Institutions send JSON numbers; JavaScript's
 * shortest round-trip formatting of a parsed double reproduces the decimal literal the institution
 * wrote (for the ≤ 15 significant digits money has), and from there everything stays in BigInt.
 */

interface Scaled {
  units: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
// Far beyond any amount or quantity, and short enough that a hostile `1e999999` cannot make us build
// a million-digit string.
const MAX_TEXT_LENGTH = 64;
const MAX_EXPONENT = 40;

function acceptable(text: string): boolean {
  if (text.length > MAX_TEXT_LENGTH) return false;
  const match = DECIMAL.exec(text);
  return match !== null && Math.abs(Number(match[4] ?? '0')) <= MAX_EXPONENT;
}

function parse(value: string): Scaled {
  const match = DECIMAL.exec(value);
  if (!match) throw new Error('not a decimal number');
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const units = BigInt(digits);
  return { units: sign === '-' ? -units : units, scale };
}

function format({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  let text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  if (scale > 0) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return negative && text !== '0' ? `-${text}` : text;
}

function align(a: Scaled, b: Scaled): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  const lift = (x: Scaled) => x.units * 10n ** BigInt(scale - x.scale);
  return [lift(a), lift(b), scale];
}

/** A finite JSON number or numeric string as a plain decimal string; null for anything else. */
export function toDecimal(value: unknown): string | null {
  const text =
    typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : typeof value === 'string'
        ? value.trim()
        : null;
  return text !== null && acceptable(text) ? format(parse(text)) : null;
}

/** Whether a decimal string fits a PostgreSQL `numeric(precision, scale)` column (which rounds the fraction). */
export function fitsNumeric(value: string, precision: number, scale: number): boolean {
  const { units, scale: digits } = parse(value);
  const whole = (units < 0n ? -units : units) / 10n ** BigInt(digits);
  return whole.toString().length <= precision - scale;
}

/** -1, 0 or 1. */
export function signOf(value: string): -1 | 0 | 1 {
  const { units } = parse(value);
  return units < 0n ? -1 : units > 0n ? 1 : 0;
}

export function negateDecimal(a: string): string {
  return a.startsWith('-') ? a.slice(1) : a === '0' ? a : `-${a}`;
}

export function addDecimals(a: string, b: string): string {
  const [x, y, scale] = align(parse(a), parse(b));
  return format({ units: x + y, scale });
}

export function subtractDecimals(a: string, b: string): string {
  const [x, y, scale] = align(parse(a), parse(b));
  return format({ units: x - y, scale });
}

export function multiplyDecimals(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  return format({ units: x.units * y.units, scale: x.scale + y.scale });
}

export function absDecimal(a: string): string {
  return a.startsWith('-') ? a.slice(1) : a;
}
