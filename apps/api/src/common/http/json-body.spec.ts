import { jsonNestsDeeperThan } from './json-body';

describe('jsonNestsDeeperThan', () => {
  const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

  it('allows nesting up to the limit and refuses one level more', () => {
    expect(jsonNestsDeeperThan(nested(4), 4)).toBe(false);
    expect(jsonNestsDeeperThan(nested(5), 4)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":{"b":[1,{"c":2}]}}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":{"b":[1,{"c":[2]}]}}', 4)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(JSON.stringify({ text: '[[[[[[{{{{ \\" [[[[' }), 2)).toBe(false);
  });

  it('measures depth, not the number of containers', () => {
    expect(jsonNestsDeeperThan(JSON.stringify(Array.from({ length: 1000 }, () => [{ a: [] }])), 4)).toBe(false);
  });
});
