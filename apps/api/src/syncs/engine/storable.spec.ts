import { storableNullableText, storableText, storableValue } from './storable';

describe('storable institution text', () => {
  it('replaces NUL and lone surrogates, keeps everything else', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('x\uD800y')).toBe('x\uFFFDy');
    expect(storableText('emoji 😀 ok')).toBe('emoji 😀 ok');
  });

  it('clips nullable text and keeps null', () => {
    expect(storableNullableText(null, 3)).toBeNull();
    expect(storableNullableText('abcdef', 3)).toBe('abc');
  });

  it('walks JSON values and keys', () => {
    expect(storableValue({ 'k\u0000': ['v\uDC00', 1, null, { n: true }] })).toEqual({
      'k\uFFFD': ['v\uFFFD', 1, null, { n: true }],
    });
  });
});
