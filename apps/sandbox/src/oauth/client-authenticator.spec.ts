import { parseBasicAuthorization } from './client-authenticator';

const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('splits on the first colon and form-decodes both parts', () => {
    expect(parseBasicAuthorization(basic('my%20app:s3cr%3At+x'))).toEqual({
      clientId: 'my app',
      clientSecret: 's3cr:t x',
    });
    expect(parseBasicAuthorization(basic('id:a:b'))).toEqual({ clientId: 'id', clientSecret: 'a:b' });
  });

  it('rejects other schemes, missing colons and broken encodings', () => {
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
    expect(parseBasicAuthorization(`Bearer ${Buffer.from('a:b').toString('base64')}`)).toBeUndefined();
    expect(parseBasicAuthorization(basic('no-colon'))).toBeUndefined();
    expect(parseBasicAuthorization(basic('%zz:secret'))).toBeUndefined();
    expect(parseBasicAuthorization('Basic !!!')).toBeUndefined();
  });
});
