import { MAX_INPUT_DEPTH, unstorableInput } from './storable-input';

describe('unstorableInput', () => {
  it('accepts ordinary text, emoji (paired surrogates) and non-string values', () => {
    expect(unstorableInput({ name: 'Ada 😀 Łovelace', n: 1, ok: true, nothing: null, list: ['a', 'b'] })).toEqual([]);
  });

  it('names each field holding a NUL or a lone surrogate', () => {
    expect(unstorableInput({ name: 'a\u0000b', alias: 'x\ud800', nested: { email: '\udc00y' } })).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'must not contain NUL characters', code: 'nul_character' },
        { field: 'alias', message: 'must be well-formed Unicode', code: 'invalid_unicode' },
        { field: 'nested.email', message: 'must be well-formed Unicode', code: 'invalid_unicode' },
      ]),
    );
  });

  it('refuses bad keys without echoing them', () => {
    expect(unstorableInput({ ['k\u0000']: 'v' })).toEqual([
      { field: '?', message: 'must not contain NUL characters', code: 'nul_character' },
    ]);
  });

  it('stops at the depth limit instead of exhausting the stack on 100,000 levels', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const errors = unstorableInput(deep);
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('too_deep');
    expect(errors[0].field.split('.')).toHaveLength(MAX_INPUT_DEPTH);
  });

  it('prefixes query and param values with their name', () => {
    expect(unstorableInput('a\u0000', 'status')).toEqual([
      { field: 'status', message: 'must not contain NUL characters', code: 'nul_character' },
    ]);
  });

  it('refuses prototype-named keys at any depth (class-transformer would drop them unseen)', () => {
    const body = JSON.parse('{"constructor":1,"a":{"__proto__":{"x":1},"prototype":2}}') as unknown;
    expect(unstorableInput(body).map((e) => [e.field, e.code])).toEqual(
      expect.arrayContaining([
        ['constructor', 'unknown_field'],
        ['a.__proto__', 'unknown_field'],
        ['a.prototype', 'unknown_field'],
      ]),
    );
    expect(unstorableInput({ name: 'constructor' })).toEqual([]);
  });
  it('treats bytes as opaque: an uploaded file is not walked byte by byte (its decoder checks it)', () => {
    const bytes = Buffer.from('a\u0000b');
    // A marker the walk would report if it descended into the bytes' own properties.
    Object.defineProperty(bytes, 'marker', { value: 'x\u0000', enumerable: true });
    expect(unstorableInput({ file: { bytes } })).toEqual([]);
    expect(unstorableInput({ file: { bytes: { marker: 'x\u0000' } } })).toEqual([
      expect.objectContaining({ field: 'file.bytes.marker', code: 'nul_character' }),
    ]);
  });
});
