import { ImportMalformedError } from './import-file';

/** An OFX element: an aggregate (children) or, in SGML style, a leaf with a value and no closing tag. */
export interface OfxNode {
  name: string;
  line: number;
  value: string | null;
  children: OfxNode[];
}

export interface OfxDocument {
  /** OFX 1.x header fields (`CHARSET:1252`) or the XML `<?OFX …?>` attributes, upper-cased keys. */
  header: Record<string, string>;
  root: OfxNode;
}

const TAG = /<(\/?)([A-Za-z0-9_.]+)\s*(\/?)>/g;

/**
 * Reads OFX 1.x (SGML: leaf elements are not closed) and OFX 2.x (XML) alike into a tree. An
 * unclosed leaf ends where the next tag starts; an aggregate must be closed, so a closing tag that
 * skips an open aggregate, or the end of the file inside one, is malformed — the error names the line.
 */
export function parseOfxTree(text: string): OfxDocument {
  const start = text.search(/<OFX\s*>/i);
  if (start === -1) throw new ImportMalformedError([{ line: 1, message: 'no <OFX> element: this is not an OFX file' }]);
  const header = readHeader(text.slice(0, start));
  const lineStarts = newlineOffsets(text);
  const lineOf = (offset: number): number => lineNumber(lineStarts, offset);

  const root: OfxNode = { name: '#document', line: 1, value: null, children: [] };
  const stack: OfxNode[] = [root];
  let leaf: OfxNode | null = null;
  TAG.lastIndex = start;
  let cursor = start;
  for (let match = TAG.exec(text); match !== null; match = TAG.exec(text)) {
    const between = text.slice(cursor, match.index);
    cursor = TAG.lastIndex;
    const content = decodeEntities(between.trim());
    const top = stack[stack.length - 1];
    if (content !== '') {
      if (top === root || top.children.length > 0 || top.value !== null) {
        throw new ImportMalformedError([
          { line: lineOf(match.index), message: `unexpected text ${quote(content)} outside an element's value` },
        ]);
      }
      top.value = content;
      leaf = top;
    }
    const [, closing, rawName, selfClosing] = match;
    const name = rawName.toUpperCase();
    const line = lineOf(match.index);
    if (closing) {
      // A leaf with a value that was not closed (SGML) ends here.
      if (leaf && leaf === stack[stack.length - 1] && leaf.name !== name) {
        stack.pop();
      }
      leaf = null;
      const open = stack[stack.length - 1];
      if (open === root || open.name !== name) {
        const expected = open === root ? 'nothing' : `</${open.name}> (opened on line ${open.line})`;
        throw new ImportMalformedError([{ line, message: `</${name}> found where ${expected} was expected` }]);
      }
      stack.pop();
      continue;
    }
    if (leaf && leaf === stack[stack.length - 1]) stack.pop();
    leaf = null;
    const node: OfxNode = { name, line, value: null, children: [] };
    stack[stack.length - 1].children.push(node);
    if (selfClosing) continue;
    stack.push(node);
  }
  const tail = decodeEntities(text.slice(cursor).trim());
  if (tail !== '' && stack.length > 1 && stack[stack.length - 1].children.length === 0) {
    stack[stack.length - 1].value = tail;
  }
  if (leaf && leaf === stack[stack.length - 1]) stack.pop();
  if (stack.length > 1) {
    // Name the innermost aggregate left open, not a value-less leaf the cut happened to follow.
    const open = stack.slice(1);
    const innermost = [...open].reverse().find((node) => node.children.length > 0) ?? open[open.length - 1];
    throw new ImportMalformedError([
      {
        line: lineOf(text.trimEnd().length),
        message: `the file ends inside <${innermost.name}> (opened on line ${innermost.line}): it looks truncated`,
      },
    ]);
  }
  const ofx = root.children.find((node) => node.name === 'OFX');
  if (!ofx) throw new ImportMalformedError([{ line: 1, message: 'no <OFX> element: this is not an OFX file' }]);
  return { header, root: ofx };
}

/** The first child named `name` (a path of names descends). */
export function child(node: OfxNode | null | undefined, ...path: string[]): OfxNode | null {
  let current: OfxNode | null | undefined = node;
  for (const name of path) current = current?.children.find((c) => c.name === name);
  return current ?? null;
}

export function children(node: OfxNode | null | undefined, name: string): OfxNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** A leaf's value under `node` by path, or null. */
export function valueOf(node: OfxNode | null | undefined, ...path: string[]): string | null {
  const found = child(node, ...path);
  return found?.value ?? null;
}

/** Every descendant named `name`, in document order. */
export function descendants(node: OfxNode, name: string): OfxNode[] {
  const found: OfxNode[] = [];
  const walk = (current: OfxNode): void => {
    for (const next of current.children) {
      if (next.name === name) found.push(next);
      else walk(next);
    }
  };
  walk(node);
  return found;
}

function readHeader(prefix: string): Record<string, string> {
  const header: Record<string, string> = {};
  for (const [, key, value] of prefix.matchAll(/^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/gm)) header[key.toUpperCase()] = value;
  const pi = /<\?OFX\s+([^?]*)\?>/i.exec(prefix);
  if (pi)
    for (const [, key, value] of pi[1].matchAll(/([A-Za-z]+)\s*=\s*"([^"]*)"/g)) header[key.toUpperCase()] = value;
  return header;
}

function newlineOffsets(text: string): number[] {
  const offsets: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) offsets.push(i);
  return offsets;
}

// 1-based line of an offset: how many newlines come before it, plus one (binary search).
function lineNumber(newlines: number[], offset: number): number {
  let low = 0;
  let high = newlines.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (newlines[mid] < offset) low = mid + 1;
    else high = mid;
  }
  return low + 1;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code =
        entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
