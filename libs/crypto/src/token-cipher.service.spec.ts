import { createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';

import { TokenCipherService } from './token-cipher.service';
import { TokenDecryptionError, type TokenDecryptionFailure } from './token-decryption.error';

const B64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ENVELOPE = /^v1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/;

// Keys are made per run; nothing secret is committed.
const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring = (entries: Record<string, Buffer>, activeKeyId: string): TokenCipherService =>
  new TokenCipherService({ keys: new Map(Object.entries(entries)), activeKeyId });

const TOKEN = 'I0.b2F1dGgyLmNkYy5zY2h3YWIuY29t.secret-refresh-token-value@';
const connectionId = randomUUID();
const ctx = { aad: connectionId };

function failure(fn: () => unknown): TokenDecryptionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenDecryptionError) return error;
    throw new Error(`expected TokenDecryptionError, got ${String(error)}`);
  }
  throw new Error('expected TokenDecryptionError, nothing was thrown');
}

describe('TokenCipherService', () => {
  const cipher = ring({ k1 }, 'k1');

  describe('round trip', () => {
    it.each([
      ['a Schwab-style token', TOKEN],
      ['an empty string', ''],
      ['non-ASCII text', 'jeton-é-令牌-🔑'],
      ['a 16 KiB value', 'x'.repeat(16 * 1024)],
    ])('decrypts %s to the same plaintext', (_label, plaintext) => {
      expect(cipher.decrypt(cipher.encrypt(plaintext, ctx), ctx)).toBe(plaintext);
    });

    it('writes v1.<kid>.<iv>.<ciphertext>.<tag>: 12-byte IV, 16-byte tag, no padding, no plaintext', () => {
      const envelope = cipher.encrypt(TOKEN, ctx);
      const match = ENVELOPE.exec(envelope);
      expect(match).not.toBeNull();
      const [, kid, iv, ciphertext, tag] = match!;
      expect(kid).toBe('k1');
      expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
      expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
      expect(Buffer.from(ciphertext, 'base64url')).toHaveLength(Buffer.byteLength(TOKEN));
      expect(envelope).not.toContain('secret-refresh-token-value');
    });

    it('follows the documented format: AES-256-GCM with AAD "v1.<kid>.<context>"', () => {
      const [, kid, iv, ciphertext, tag] = ENVELOPE.exec(cipher.encrypt(TOKEN, ctx))!;
      const decipher = createDecipheriv('aes-256-gcm', k1, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(`v1.${kid}.${connectionId}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
      expect(plain.toString('utf8')).toBe(TOKEN);
    });
  });

  it('uses a fresh IV for every value: the same plaintext never encrypts the same way twice', () => {
    const envelopes = Array.from({ length: 200 }, () => cipher.encrypt(TOKEN, ctx));
    expect(new Set(envelopes).size).toBe(200);
    expect(new Set(envelopes.map((e) => ENVELOPE.exec(e)![2])).size).toBe(200);
    for (const envelope of envelopes) expect(cipher.decrypt(envelope, ctx)).toBe(TOKEN);
  });

  describe('tampering', () => {
    const envelope = cipher.encrypt(TOKEN, ctx);

    it('rejects every single-character change anywhere in the envelope', () => {
      const accepted: string[] = [];
      let attempts = 0;
      for (let i = 0; i < envelope.length; i += 1) {
        for (const replacement of [...B64URL_ALPHABET, '.', '=', '+', '/']) {
          if (replacement === envelope[i]) continue;
          const tampered = envelope.slice(0, i) + replacement + envelope.slice(i + 1);
          attempts += 1;
          try {
            cipher.decrypt(tampered, ctx);
            accepted.push(tampered);
          } catch (error) {
            if (!(error instanceof TokenDecryptionError)) accepted.push(`${tampered}: ${String(error)}`);
          }
        }
      }
      expect(accepted).toEqual([]);
      expect(attempts).toBeGreaterThan(envelope.length * 60);
    });

    it('reports a flipped ciphertext, IV or tag bit as an authentication failure', () => {
      const [, kid, iv, ciphertext, tag] = ENVELOPE.exec(envelope)!;
      const flip = (b64: string, byte: number): string => {
        const bytes = Buffer.from(b64, 'base64url');
        bytes[byte] ^= 0x01;
        return bytes.toString('base64url');
      };
      const variants = [
        ['v1', kid, flip(iv, 0), ciphertext, tag],
        ['v1', kid, iv, flip(ciphertext, 5), tag],
        ['v1', kid, iv, ciphertext, flip(tag, 15)],
      ];
      for (const parts of variants) {
        expect(failure(() => cipher.decrypt(parts.join('.'), ctx)).reason).toBe('authentication_failed');
      }
    });

    it.each<[string, (e: string) => string, TokenDecryptionFailure]>([
      ['a truncated tag', (e) => e.slice(0, -4), 'malformed'],
      ['an appended character', (e) => `${e}A`, 'malformed'],
      ['a missing part', (e) => e.split('.').slice(0, 4).join('.'), 'malformed'],
      ['an extra part', (e) => `${e}.AAAA`, 'malformed'],
      [
        'swapped IV and tag',
        (e) =>
          e
            .split('.')
            .map((p, i, a) => (i === 2 ? a[4] : i === 4 ? a[2] : p))
            .join('.'),
        'malformed',
      ],
      ['another version', (e) => e.replace(/^v1\./, 'v2.'), 'unsupported_version'],
      ['standard base64 padding', (e) => `${e}==`, 'malformed'],
      ['an empty string', () => '', 'malformed'],
      ['plaintext stored by mistake', () => TOKEN, 'malformed'],
    ])('rejects %s', (_label, mutate, reason) => {
      expect(failure(() => cipher.decrypt(mutate(envelope), ctx)).reason).toBe(reason);
    });

    it('binds the key id: relabelling a k1 envelope as another ring key fails authentication', () => {
      const both = ring({ k1, k2 }, 'k1');
      const relabelled = both.encrypt(TOKEN, ctx).replace(/^v1\.k1\./, 'v1.k2.');
      expect(failure(() => both.decrypt(relabelled, ctx))).toMatchObject({
        reason: 'authentication_failed',
        keyId: 'k2',
      });
    });
  });

  describe('additional authenticated data', () => {
    const envelope = cipher.encrypt(TOKEN, ctx);

    it.each([
      ['another connection id', randomUUID()],
      ['the same id in upper case', connectionId.toUpperCase()],
      ['a prefix of the id', connectionId.slice(0, -1)],
      ['the id with a suffix', `${connectionId}.x`],
    ])('refuses %s', (_label, aad) => {
      expect(failure(() => cipher.decrypt(envelope, { aad })).reason).toBe('authentication_failed');
    });

    it('requires a context on both sides, so no ciphertext is left unbound', () => {
      expect(() => cipher.encrypt(TOKEN, { aad: '' })).toThrow(TypeError);
      expect(() => cipher.decrypt(envelope, { aad: '' })).toThrow(TypeError);
      expect(() => cipher.encrypt(TOKEN, undefined as unknown as { aad: string })).toThrow(TypeError);
    });
  });

  describe('key ring', () => {
    it('refuses an envelope whose key id is not in the ring', () => {
      const other = ring({ k9: randomBytes(32) }, 'k9').encrypt(TOKEN, ctx);
      expect(failure(() => cipher.decrypt(other, ctx))).toMatchObject({ reason: 'unknown_key', keyId: 'k9' });
    });

    it('keeps decrypting old keys after a rotation and encrypts only with the active key', () => {
      const before = ring({ k1 }, 'k1').encrypt(TOKEN, ctx);
      const rotated = ring({ k1, k2 }, 'k2');
      expect(rotated.decrypt(before, ctx)).toBe(TOKEN);
      const after = rotated.encrypt(TOKEN, ctx);
      expect(rotated.keyIdOf(after)).toBe('k2');
      expect(ring({ k2 }, 'k2').decrypt(after, ctx)).toBe(TOKEN);
      expect(failure(() => ring({ k2 }, 'k2').decrypt(before, ctx)).reason).toBe('unknown_key');
    });

    it('needsReencryption is true exactly for envelopes under a non-active key', () => {
      const rotated = ring({ k1, k2 }, 'k2');
      expect(rotated.needsReencryption(ring({ k1 }, 'k1').encrypt(TOKEN, ctx))).toBe(true);
      expect(rotated.needsReencryption(rotated.encrypt(TOKEN, ctx))).toBe(false);
      expect(() => rotated.needsReencryption('not-an-envelope')).toThrow(TokenDecryptionError);
    });

    it('lists its key ids and answers whether it holds one', () => {
      const rotated = ring({ k1, k2 }, 'k2');
      expect(rotated.keyIds()).toEqual(['k1', 'k2']);
      expect(rotated.activeKeyId).toBe('k2');
      expect(rotated.hasKey('k1')).toBe(true);
      expect(rotated.hasKey('k3')).toBe(false);
    });

    it.each([
      ['a 16-byte key', { keys: new Map([['k1', randomBytes(16)]]), activeKeyId: 'k1' }, /must be 32 bytes/],
      ['an active id outside the ring', { keys: new Map([['k1', k1]]), activeKeyId: 'k2' }, /not in the ring/],
      ['a key id with a dot', { keys: new Map([['k.1', k1]]), activeKeyId: 'k.1' }, /key ids are/],
    ])('refuses to build with %s', (_label, config, message) => {
      expect(() => new TokenCipherService(config)).toThrow(message);
    });
  });

  describe('secrecy', () => {
    const secrets = [
      TOKEN,
      'secret-refresh-token-value',
      ...[k1, k2].flatMap((k) => [k.toString('base64'), k.toString('hex')]),
    ];
    const expectNoSecret = (text: string) => {
      for (const secret of secrets) expect(text).not.toContain(secret);
    };

    it('never puts plaintext, ciphertext or key material in a decryption error', () => {
      const both = ring({ k1, k2 }, 'k1');
      const envelope = both.encrypt(TOKEN, ctx);
      const errors = [
        failure(() => both.decrypt(envelope, { aad: randomUUID() })),
        failure(() => both.decrypt(envelope.replace(/^v1\.k1\./, 'v1.k2.'), ctx)),
        failure(() => both.decrypt(`${envelope}A`, ctx)),
        failure(() => both.decrypt(TOKEN, ctx)),
        failure(() => ring({ k2 }, 'k2').decrypt(envelope, ctx)),
      ];
      for (const error of errors) {
        for (const text of [error.message, String(error), inspect(error), JSON.stringify(error)]) {
          expectNoSecret(text);
          expect(text).not.toContain(envelope.split('.')[3]);
        }
        expect(error.cause).toBeUndefined();
      }
    });

    it('does not reveal key bytes when the cipher itself is inspected or serialised', () => {
      const both = ring({ k1, k2 }, 'k1');
      expectNoSecret(inspect(both, { depth: 10, showHidden: true }));
      expectNoSecret(JSON.stringify(both));
    });

    it('does not echo key material when refusing a bad key', () => {
      const short = randomBytes(16);
      // The refusal is caught outside the try: an assertion thrown inside it would be swallowed.
      let refusal: unknown;
      try {
        new TokenCipherService({ keys: new Map([['k1', short]]), activeKeyId: 'k1' });
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(Error);
      const text = `${String(refusal)} ${inspect(refusal)}`;
      expect(text).toContain('token key "k1" must be 32 bytes');
      expect(text).not.toContain(short.toString('base64'));
      expect(text).not.toContain(short.toString('hex'));
    });
  });
});
