import { describeCache, describeDatabase } from './describe';

describe('describeDatabase', () => {
  it('names an embedded cluster, its data directory and why the configured server was not used', () => {
    const line = describeDatabase(
      {
        source: 'embedded',
        url: 'postgres://dashtam_user:dev-pass@127.0.0.1:55432/dashtam',
        adminUrl: 'postgres://postgres:generated@127.0.0.1:55432/postgres',
        reason: 'no usable PostgreSQL at postgres://dashtam_user:***@127.0.0.1:5999/dashtam',
        embedded: {
          port: 55432,
          adminUrl: 'postgres://postgres:generated@127.0.0.1:55432/postgres',
          startedNow: true,
          major: '17',
        },
      },
      '.data/postgres-dev',
    );
    expect(line).toBe(
      'database postgres://dashtam_user:***@127.0.0.1:55432/dashtam on embedded PostgreSQL 17, data in .data/postgres-dev ' +
        '(no usable PostgreSQL at postgres://dashtam_user:***@127.0.0.1:5999/dashtam)',
    );
    expect(line).not.toContain('dev-pass');
    expect(line).not.toContain('generated');
  });

  it('says when the role and database were just created on the configured server', () => {
    expect(
      describeDatabase(
        { source: 'created', url: 'postgres://dashtam_user:pw@127.0.0.1:5432/dashtam', adminUrl: null },
        '.data/postgres-dev',
      ),
    ).toBe(
      'database postgres://dashtam_user:***@127.0.0.1:5432/dashtam (role and database just created through DATABASE_ADMIN_URL)',
    );
  });

  it('names a configured database plainly', () => {
    expect(describeDatabase({ source: 'configured', url: 'postgres://u:pw@h:5432/d', adminUrl: null }, '.data/x')).toBe(
      'database postgres://u:***@h:5432/d',
    );
  });
});

describe('describeCache', () => {
  it('names the Redis that answered, password masked', () => {
    expect(describeCache('redis://:pw@127.0.0.1:6379/0', true)).toBe('cache Redis redis://:***@127.0.0.1:6379/0');
  });

  it('falls back to memory and says which Redis did not answer', () => {
    expect(describeCache('redis://127.0.0.1:6999/0', false)).toBe(
      'cache in memory (no Redis answers at redis://127.0.0.1:6999/0)',
    );
  });

  it('falls back to memory when no Redis is configured', () => {
    expect(describeCache(null, false)).toBe('cache in memory (REDIS_URL is empty)');
  });
});
