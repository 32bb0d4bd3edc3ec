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
  if (typeof value === 'number' && Number.isFinite(value)) return format(parse(String(value)));
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return format(parse(value.trim()));
  return null;
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
