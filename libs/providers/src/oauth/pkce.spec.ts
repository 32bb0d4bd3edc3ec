import { codeChallengeS256, createCodeVerifier, isValidCodeVerifier } from './pkce';

describe('PKCE', () => {
  it('computes the RFC 7636 appendix B challenge', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('creates unreserved 43-128 character verifiers, different every time', () => {
    const verifiers = new Set(Array.from({ length: 50 }, () => createCodeVerifier()));
    expect(verifiers.size).toBe(50);
    for (const verifier of verifiers) {
      expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
      expect(codeChallengeS256(verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('refuses verifiers outside RFC 7636', () => {
    expect(isValidCodeVerifier('a'.repeat(42))).toBe(false);
    expect(isValidCodeVerifier('a'.repeat(43))).toBe(true);
    expect(isValidCodeVerifier('a'.repeat(128))).toBe(true);
    expect(isValidCodeVerifier('a'.repeat(129))).toBe(false);
    expect(isValidCodeVerifier(`${'a'.repeat(43)}+`)).toBe(false);
    expect(() => codeChallengeS256('short')).toThrow('43-128');
  });
});
