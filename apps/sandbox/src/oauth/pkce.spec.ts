import { isS256Challenge, s256, verifiesS256 } from './pkce';

describe('PKCE S256', () => {
  // RFC 7636 Appendix B
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('matches the RFC 7636 example', () => {
    expect(s256(verifier)).toBe(challenge);
    expect(isS256Challenge(challenge)).toBe(true);
    expect(verifiesS256(verifier, challenge)).toBe(true);
  });

  it('refuses a wrong or malformed verifier', () => {
    expect(verifiesS256(`${verifier.slice(0, -1)}A`, challenge)).toBe(false);
    expect(verifiesS256('short', s256('short'))).toBe(false);
    expect(verifiesS256(`${verifier}!`, s256(`${verifier}!`))).toBe(false);
    expect(isS256Challenge(`${challenge}=`)).toBe(false);
  });
});
