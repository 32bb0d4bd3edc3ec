import { SeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  const draw = (rng: SeededRandom) => Array.from({ length: 5 }, () => rng.next());

  it('is a pure function of its key', () => {
    expect(draw(new SeededRandom('a', 1))).toEqual(draw(new SeededRandom('a', 1)));
    expect(draw(new SeededRandom('a', 1))).not.toEqual(draw(new SeededRandom('a', 2)));
    // Key parts are separated, so ('ab','c') and ('a','bc') differ.
    expect(draw(new SeededRandom('ab', 'c'))).not.toEqual(draw(new SeededRandom('a', 'bc')));
  });

  it('stays in range', () => {
    const rng = new SeededRandom('range');
    for (let i = 0; i < 10_000; i++) {
      const n = rng.next();
      expect(n >= 0 && n < 1).toBe(true);
      const k = rng.int(-3, 3);
      expect(Number.isInteger(k) && k >= -3 && k <= 3).toBe(true);
    }
  });

  it('samples distinct items', () => {
    const picked = new SeededRandom('sample').sample([1, 2, 3, 4, 5, 6], 4);
    expect(picked).toHaveLength(4);
    expect(new Set(picked).size).toBe(4);
  });
});
