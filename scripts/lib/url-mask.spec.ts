import { maskUrl, withHostPort } from './url-mask';

describe('maskUrl', () => {
  it('hides the password and keeps role, host, port, database and options', () => {
    expect(maskUrl('postgres://dashtam_user:s3cr%40t@db.example:6543/dashtam?sslmode=require')).toBe(
      'postgres://dashtam_user:***@db.example:6543/dashtam?sslmode=require',
    );
  });

  it('hides a Redis password given without a user', () => {
    expect(maskUrl('redis://:hunter2@127.0.0.1:6379/1')).toBe('redis://:***@127.0.0.1:6379/1');
  });

  it('leaves a URL without a password as it is', () => {
    expect(maskUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });

  it('never echoes something it cannot parse, which may be a secret', () => {
    expect(maskUrl('not a url but maybe a password')).toBe('<invalid URL>');
  });
});

describe('withHostPort', () => {
  it('moves a URL to another server without touching credentials or database', () => {
    const moved = new URL(
      withHostPort('postgres://u:p%2Fw@10.0.0.5:5432/dashtam?application_name=x', '127.0.0.1', 55432),
    );
    expect(moved.host).toBe('127.0.0.1:55432');
    expect(decodeURIComponent(moved.password)).toBe('p/w');
    expect(moved.username).toBe('u');
    expect(moved.pathname).toBe('/dashtam');
    expect(moved.searchParams.get('application_name')).toBe('x');
  });
});
