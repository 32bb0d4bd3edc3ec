#!/usr/bin/env bash
# Creates the test role, database and extensions, idempotently, the way
# libs/database/src/admin.ts ensureRoleAndDatabase does for the local flow.
#
# Runs from the postgres image's /docker-entrypoint-initdb.d (compose.test.yaml mounts it) as the
# superuser the image created, over the local socket; outside a container it honours PGHOST/PGPORT.
# Secrets never become SQL text written by the shell: the heredocs are quoted, psql reads the values
# from the environment (\getenv, so they are not on any command line either) and quotes them itself
# (:'var' as a literal, format() with %I / %L for the generated statements).
set -euo pipefail

: "${POSTGRES_USER:?POSTGRES_USER (the superuser) is required}"
: "${TEST_POSTGRES_USER:?TEST_POSTGRES_USER is required}"
: "${TEST_POSTGRES_PASSWORD:?TEST_POSTGRES_PASSWORD is required}"
: "${TEST_POSTGRES_DB:?TEST_POSTGRES_DB is required}"

# The same guard as TestDbBootstrap: whatever this script creates is a database tests may wipe.
if [[ "$TEST_POSTGRES_DB" != *test* ]]; then
  echo "init-test-db: TEST_POSTGRES_DB must contain \"test\"; nothing created" >&2
  exit 1
fi

run_psql() {
  psql --no-psqlrc --no-password --quiet -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" "$@"
}

run_psql --dbname "${POSTGRES_DB:-postgres}" <<'SQL'
SET client_min_messages = warning;
\getenv test_role TEST_POSTGRES_USER
\getenv test_password TEST_POSTGRES_PASSWORD
\getenv test_db TEST_POSTGRES_DB
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'test_role', :'test_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'test_role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'test_db', :'test_role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'test_db') \gexec
SQL

# Extensions need the superuser once; from then on the owner manages its own schema.
run_psql --dbname "$TEST_POSTGRES_DB" <<'SQL'
SET client_min_messages = warning;
\getenv test_role TEST_POSTGRES_USER
CREATE EXTENSION IF NOT EXISTS pgcrypto;
SELECT format('GRANT ALL ON SCHEMA public TO %I', :'test_role') \gexec
SELECT format('ALTER SCHEMA public OWNER TO %I', :'test_role') \gexec
SQL

echo "init-test-db: role \"$TEST_POSTGRES_USER\" and database \"$TEST_POSTGRES_DB\" are ready"
