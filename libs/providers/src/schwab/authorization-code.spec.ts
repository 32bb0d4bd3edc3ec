import { normalizeAuthorizationCode } from './authorization-code';

describe('normalizeAuthorizationCode', () => {
  it.each([
    ['C0.abc%40', 'C0.abc@'],
    ['C0.b2F1dGgyLmJkYy5zY2h3YWIuY29t.Xyz-_%40', 'C0.b2F1dGgyLmJkYy5zY2h3YWIuY29t.Xyz-_@'],
    // Decoded exactly once: a doubly encoded code keeps its second layer.
    ['C0.abc%2540', 'C0.abc%40'],
    ['C0.abc@', 'C0.abc@'],
    ['plain-code', 'plain-code'],
    // Not valid percent-encoding: left as it came.
    ['C0.%E0%A4%A@', 'C0.%E0%A4%A@'],
  ])('%s → %s', (raw, sent) => {
    expect(normalizeAuthorizationCode(raw)).toBe(sent);
  });
});
