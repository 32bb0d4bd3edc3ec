import { ImportMalformedError } from './import-file';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * The file's bytes as text. Exports are UTF-8 (with or without a BOM) or, from older Windows-era
 * software and OFX 1.x files that say `CHARSET:1252`, Windows-1252: bytes that are valid UTF-8 are
 * read as UTF-8 (plain ASCII reads the same either way), anything else as Windows-1252 — unless the
 * file itself declares UTF-8, which then names the line of the first bad byte. Binary content (NUL
 * bytes: a spreadsheet, a PDF, UTF-16) is refused.
 */
export function decodeImportFile(bytes: Buffer): string {
  const start = UTF8_BOM.every((byte, i) => bytes[i] === byte) ? UTF8_BOM.length : 0;
  const body = bytes.subarray(start);
  const nul = body.indexOf(0);
  if (nul !== -1) {
    throw new ImportMalformedError([
      {
        line: lineAt(body, nul),
        message: 'the file is not text (it contains NUL bytes); export it as OFX, QFX or CSV',
      },
    ]);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const bad = firstInvalidUtf8(body);
    if (declaresUtf8(body)) {
      throw new ImportMalformedError([
        { line: lineAt(body, bad), message: 'the file declares UTF-8 but this line is not valid UTF-8' },
      ]);
    }
    return new TextDecoder('windows-1252').decode(body);
  }
}

/** 1-based line of a byte offset. */
function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) if (bytes[i] === 0x0a) line += 1;
  return line;
}

// An OFX 1.x header (`CHARSET:UTF-8`, `ENCODING:UTF-8`) or an XML declaration that names UTF-8.
function declaresUtf8(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 512).toString('latin1');
  return (
    /^\s*(?:CHARSET|ENCODING)\s*:\s*UTF-?8\s*$/im.test(head) || /<\?xml[^>]*encoding\s*=\s*["']utf-?8["']/i.test(head)
  );
}

function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    const length =
      byte < 0x80
        ? 1
        : byte >= 0xc2 && byte < 0xe0
          ? 2
          : byte >= 0xe0 && byte < 0xf0
            ? 3
            : byte >= 0xf0 && byte < 0xf5
              ? 4
              : 0;
    if (length === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}
