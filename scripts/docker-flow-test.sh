#!/usr/bin/env bash
# The Docker flows end to end, on a real Docker engine (`make test-docker`; .ci/run runs it after
# `make test`). What docs/docker.md promises a user with Docker is run and asserted, as a user runs it:
#
#   make up                      postgres, redis, api, callback, sandbox healthy; the api answers
#                                /health/ready through its published port and reaches PostgreSQL and Redis
#                                by service name; an edited source file restarts the api (hot reload)
#   make test-setup              beside the running dev stack: its own project, a test database and
#                                Redis index 1, the init script's role, TestDbBootstrap (and its guard)
#   make test-unit / test-e2e    inside the app container (docker exec), a focused e2e subset
#   make test-clean              the test stack and its volumes gone, dev untouched
#   make down && make up         a row written through the dev api survives (and test-clean before)
#   production image             builds; non-root; no dev dependency; starts with production settings
#                                against the compose PostgreSQL and Redis; refuses development secrets
#
# It starts a private dockerd that leaves the host network alone (no bridge, no iptables, no forwarding),
# with its socket, data and exec roots in a temporary folder; on exit, failure or not, it removes every
# container, network and volume, stops that engine and checks nothing of it is left. The machine's own
# PostgreSQL and Redis are never touched: every published port is a free one picked at start.
#
# It works on a copy of the working tree (committed or not) so that the containers, which run as root
# and write into the mounted repository, never touch the checkout. The base images are the local
# stand-ins scripts/docker-local-images.sh builds (no image registry needed); DOCKER_FLOW_IMAGES=official
# uses the official images instead.
#
# Exit status: 0 passed; 1 a flow failed; 77 skipped, with the reason printed: not root, Docker's
# Debian packages cannot be installed, or this machine cannot run a Docker engine.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SKIP=77
STARTED=$SECONDS
LOG_DIR="$ROOT/.data/docker-flow-test"
# The e2e suites run inside the app container: the stack's own database, Redis, loopback servers and
# Chromium, the init script against the test PostgreSQL, and Compose v1 on the compose files.
E2E_SUBSET="apps/api/test/auth/registration.e2e-spec.ts apps/api/test/providers/linking.e2e-spec.ts \
apps/api/test/providers/browser-linking.e2e-spec.ts test/docker-scripts.e2e-spec.ts test/compose-config.e2e-spec.ts"

say() { echo "docker-flow-test [$(elapsed)]: $*"; }
elapsed() { printf '%dm%02ds' $(((SECONDS - STARTED) / 60)) $(((SECONDS - STARTED) % 60)); }
skip() {
  echo "docker-flow-test: SKIPPED: $*"
  exit "$SKIP"
}
CURRENT_LOG=""
fail() {
  echo "docker-flow-test: FAILED: $*" >&2
  if [[ -n "$CURRENT_LOG" && -s "$CURRENT_LOG" ]]; then
    echo "--- last lines of ${CURRENT_LOG#"$ROOT/"}:" >&2
    tail -n 60 "$CURRENT_LOG" >&2
  fi
  exit 1
}
CHECKS=0
ok() {
  CHECKS=$((CHECKS + 1))
  echo "  ok: $*"
}
# Runs a step with its output in a log file of its own (printed when it fails).
run_logged() {
  local name="$1"
  shift
  CURRENT_LOG="$LOG_DIR/$name.log"
  say "$name: $*"
  "$@" >"$CURRENT_LOG" 2>&1 || fail "$name exited with $?"
}
# Polls `"$@"` (quiet, or failing the run itself) every 2 s until it succeeds, for at most $2 seconds.
wait_until() {
  local what="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    ((SECONDS < deadline)) || fail "timed out after ${timeout} s waiting for $what"
    sleep 2
  done
}

# ---------------------------------------------------------------------------------------------------
# Prerequisites: root, and Debian's Docker packages (installed when missing). Anything missing skips.

[[ "$(id -u)" == 0 ]] || skip "needs root (a private Docker engine, and apt-get for Docker's packages)"
ensure_packages() {
  local missing=() binary package
  # binary:package — what the test runs, and the Debian package that brings it.
  for pair in dockerd:docker.io docker:docker.io debootstrap:debootstrap curl:curl; do
    binary="${pair%%:*}" package="${pair#*:}"
    command -v "$binary" >/dev/null || [[ -x "/usr/sbin/$binary" ]] || missing+=("$package")
  done
  # Compose: the v2 plugin when the docker CLI has it, else Debian's docker-compose (v1).
  if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then missing+=(docker-compose); fi
  ((${#missing[@]} == 0)) && return 0
  command -v apt-get >/dev/null || skip "Docker's packages are missing (${missing[*]}) and there is no apt-get"
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  say "installing Debian packages: ${missing[*]}"
  # Installing docker.io must not start the system's own dockerd (with its bridge and iptables rules):
  # Debian's policy-rc.d convention refuses service starts while the file exists.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=1
  fi
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -y --no-install-recommends)
  local status=0
  {
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "${missing[@]}" \
      || { apt-get -o DPkg::Lock::Timeout=600 update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "${missing[@]}"; }
  } >"$LOG_DIR/apt.log" 2>&1 || status=$?
  ((added_policy)) && rm -f "$policy"
  if ((status != 0)); then
    tail -n 20 "$LOG_DIR/apt.log"
    skip "Docker's Debian packages (${missing[*]}) cannot be installed here (apt-get exited with $status)"
  fi
}
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log
ensure_packages
DOCKERD="$(command -v dockerd || echo /usr/sbin/dockerd)"

# ---------------------------------------------------------------------------------------------------
# The private engine. Its folder is short: unix socket paths are limited to 108 bytes.

TMP="$(mktemp -d /tmp/dashtam-dockerflow.XXXXXX)"
ENGINE_ID="dashtam-flow-${TMP##*.}"
REPO="$TMP/repo"
export DOCKER_HOST="unix://$TMP/docker.sock"
# The client's own config (auth, contexts) stays out of the user's ~/.docker.
export DOCKER_CONFIG="$TMP/client"
DOCKERD_PID=""
NETWORK_IDS=()
KEY_JSON_EXISTED=0
[[ -e /etc/docker/key.json ]] && KEY_JSON_EXISTED=1
# The shims' socket folder, shared by every containerd on the machine.
RUN_CONTAINERD_EXISTED=0
[[ -e /run/containerd ]] && RUN_CONTAINERD_EXISTED=1
# Image builds run in the engine's default cgroup parent (docker/…), whatever --cgroup-parent says.
CGROUP_PARENTS=("$ENGINE_ID")
compgen -G '/sys/fs/cgroup/*/docker' >/dev/null || [[ -d /sys/fs/cgroup/docker ]] || CGROUP_PARENTS+=(docker)

cleanup() {
  local status=$?
  trap - EXIT INT TERM ERR
  set +e
  if [[ -n "$DOCKERD_PID" ]] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    say "cleanup: removing every container, network and volume of the private engine"
    if [[ -d "$REPO" ]]; then
      (cd "$REPO" && compose_dev down -v --remove-orphans && compose_test --profile apps down -v --remove-orphans) \
        >"$LOG_DIR/cleanup.log" 2>&1
    fi
    mapfile -t NETWORK_IDS < <(docker network ls -q --no-trunc --filter type=custom 2>/dev/null)
    docker ps -aq | xargs -r docker rm -f >>"$LOG_DIR/cleanup.log" 2>&1
    docker network prune -f >>"$LOG_DIR/cleanup.log" 2>&1
    docker volume prune -f >>"$LOG_DIR/cleanup.log" 2>&1
    kill -TERM "$DOCKERD_PID"
    for _ in $(seq 1 60); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$DOCKERD_PID" 2>/dev/null && kill -KILL "$DOCKERD_PID"
  fi
  # The engine's containerd and shims run with our folder on their command line: end them by id.
  local pids
  pids="$(pgrep -f -- "$TMP/" || true)"
  [[ -n "$pids" ]] && kill -KILL $pids 2>/dev/null
  # Mounts the engine left under its folder (overlay layers, network namespaces, shm), innermost first.
  if [[ -n "${TMP:-}" ]]; then
    awk -v root="$TMP/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
    rm -rf "$TMP"
  fi
  # Its cgroups (containers and builds), and the bridge of each compose network.
  for parent in "${CGROUP_PARENTS[@]}"; do
    for dir in /sys/fs/cgroup/*/"$parent" /sys/fs/cgroup/"$parent"; do
      [[ -d "$dir" ]] && find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
    done
  done
  for id in "${NETWORK_IDS[@]}"; do ip link show "br-${id:0:12}" >/dev/null 2>&1 && ip link delete "br-${id:0:12}"; done
  ((KEY_JSON_EXISTED)) || rm -f /etc/docker/key.json
  ((RUN_CONTAINERD_EXISTED)) || rmdir /run/containerd/s /run/containerd 2>/dev/null
  # Nothing may remain: a leftover fails the run even when the flows passed.
  local left=()
  [[ -n "${TMP:-}" && -e "$TMP" ]] && left+=("folder $TMP")
  [[ -n "$(pgrep -f -- "$TMP/" || true)" ]] && left+=("processes $(pgrep -f -- "$TMP/" | tr '\n' ' ')")
  for id in "${NETWORK_IDS[@]}"; do ip link show "br-${id:0:12}" >/dev/null 2>&1 && left+=("bridge br-${id:0:12}"); done
  for parent in "${CGROUP_PARENTS[@]}"; do
    compgen -G "/sys/fs/cgroup/*/$parent" >/dev/null && left+=("cgroups $parent")
  done
  ((RUN_CONTAINERD_EXISTED)) || [[ ! -e /run/containerd ]] || left+=("/run/containerd")
  if ((${#left[@]} > 0)); then
    echo "docker-flow-test: FAILED: the private engine left ${left[*]}" >&2
    status=1
  elif [[ -n "$DOCKERD_PID" ]]; then
    say "cleanup: the private engine is gone (no process, mount, bridge, cgroup or folder left)"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo "docker-flow-test: FAILED: line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$TMP/data" "$TMP/exec" "$TMP/client" "$TMP/bin"
cat >"$TMP/daemon.json" <<EOF
{ "deprecated-key-path": "$TMP/key.json" }
EOF
say "starting a private dockerd ($DOCKERD) on $DOCKER_HOST"
"$DOCKERD" --config-file "$TMP/daemon.json" --host "$DOCKER_HOST" --data-root "$TMP/data" --exec-root "$TMP/exec" \
  --pidfile "$TMP/dockerd.pid" --cgroup-parent "/$ENGINE_ID" \
  --bridge=none --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
  >"$LOG_DIR/dockerd.log" 2>&1 &
DOCKERD_PID=$!
# The docker CLI of the engine's own package first on PATH (a newer client elsewhere may lack BuildKit).
[[ -x /usr/bin/docker ]] && ln -s /usr/bin/docker "$TMP/bin/docker"
export PATH="$TMP/bin:$PATH"
deadline=$((SECONDS + 60))
until docker info >/dev/null 2>&1; do
  if ! kill -0 "$DOCKERD_PID" 2>/dev/null || ((SECONDS >= deadline)); then
    tail -n 20 "$LOG_DIR/dockerd.log"
    kill -0 "$DOCKERD_PID" 2>/dev/null || DOCKERD_PID=""
    skip "this machine cannot run a Docker engine (dockerd did not answer; its log is above)"
  fi
  sleep 1
done
say "engine up: Docker $(docker version -f '{{.Server.Version}}'), storage $(docker info -f '{{.Driver}}')"

# ---------------------------------------------------------------------------------------------------
# The working copy, the compose implementation, free ports.

say "copying the working tree to $REPO"
git clone -q --no-checkout "$ROOT" "$REPO"
git -C "$REPO" fetch -q "$ROOT" HEAD
git -C "$REPO" checkout -q FETCH_HEAD
git -C "$ROOT" diff HEAD --binary | git -C "$REPO" apply --allow-empty
(cd "$ROOT" && git ls-files -o --exclude-standard -z | tar -c --null -T -) | tar -x -C "$REPO"
# Committed in the copy, so that git inside the containers sees the tree under test as clean.
git -C "$REPO" add -A
git -C "$REPO" -c user.name=flow -c user.email=flow@localhost commit -q --allow-empty -m 'working tree under test'

if docker compose version >/dev/null 2>&1; then COMPOSE_CLI='docker compose'; else COMPOSE_CLI=docker-compose; fi
export COMPOSE_CLI DOCKER=1 DOCKER_BUILD_NETWORK=host COMPOSE_DOCKER_CLI_BUILD=1 DOCKER_BUILDKIT=1
say "compose: $COMPOSE_CLI ($($COMPOSE_CLI version --short 2>/dev/null || $COMPOSE_CLI version | head -n1))"

PICKED=()
# Sets PORT to a free loopback port not picked before (no subshell, so PICKED remembers it).
free_port() {
  while :; do
    PORT=$((20000 + RANDOM % 10000))
    [[ " ${PICKED[*]} " == *" $PORT "* ]] && continue
    # Free when nothing accepts a connection on it.
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
    PICKED+=("$PORT")
    return 0
  done
}
DEV_PORTS=() TEST_PORTS=()
for var in POSTGRES_HOST_PORT REDIS_HOST_PORT API_HOST_PORT CALLBACK_HOST_PORT SANDBOX_HOST_PORT; do
  free_port
  DEV_PORTS+=("$var=$PORT")
  [[ "$var" == API_HOST_PORT ]] && API_PORT=$PORT
  [[ "$var" == CALLBACK_HOST_PORT ]] && CALLBACK_PORT=$PORT
  [[ "$var" == SANDBOX_HOST_PORT ]] && SANDBOX_PORT=$PORT
  free_port
  TEST_PORTS+=("$var=$PORT")
done
say "dev stack ports: ${DEV_PORTS[*]}; test stack ports: ${TEST_PORTS[*]}"

dev_make() { env "${DEV_PORTS[@]}" make -C "$REPO" --no-print-directory "$@"; }
test_make() { env "${TEST_PORTS[@]}" make -C "$REPO" --no-print-directory "$@"; }
compose_dev() { (cd "$REPO" && env "${DEV_PORTS[@]}" $COMPOSE_CLI -p dashtam -f compose.yaml --env-file .env "$@"); }
compose_test() {
  (cd "$REPO" && env "${TEST_PORTS[@]}" $COMPOSE_CLI -p dashtam-test -f compose.yaml -f compose.test.yaml --env-file .env.test "$@")
}
env_value() { sed -n "s/^$2=//p" "$REPO/$1" | tail -n1; }
project_services() {
  docker ps -a --filter "label=com.docker.compose.project=$1" --format '{{.Label "com.docker.compose.service"}}' | sort | xargs
}
unhealthy_in() {
  local id
  for id in $(docker ps -aq --filter "label=com.docker.compose.project=$1"); do
    [[ "$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")" == running/healthy ]] \
      || docker inspect -f '{{.Name}}' "$id"
  done
}
http_status() { curl -sk -o "$TMP/body" -w '%{http_code}' --max-time 10 "$@" || true; }

# ---------------------------------------------------------------------------------------------------
# Base images.

if [[ "${DOCKER_FLOW_IMAGES:-local}" == local ]]; then
  # The root file system and Node download are cached in the checkout's .data/docker for the next run.
  run_logged local-images env DOCKER_LOCAL_CACHE="$ROOT/.data/docker" "$REPO/scripts/docker-local-images.sh"
  ok "local base images: $(tail -n1 "$CURRENT_LOG" | sed 's/^export //')"
fi

# ---------------------------------------------------------------------------------------------------
# make up

run_logged make-up dev_make up
[[ "$(project_services dashtam)" == "api callback postgres redis sandbox" ]] \
  || fail "make up: the dev project runs [$(project_services dashtam)]"
[[ -z "$(unhealthy_in dashtam)" ]] || fail "make up: not healthy: $(unhealthy_in dashtam)"
ok "make up: postgres, redis, api, callback and sandbox running and healthy"

status="$(http_status "https://127.0.0.1:$API_PORT/health/ready")"
[[ "$status" == 200 ]] || fail "GET /health/ready through the published port answered $status: $(cat "$TMP/body")"
grep -q '"database":{"status":"up"}' "$TMP/body" && grep -q '"redis":{"status":"up"}' "$TMP/body" \
  || fail "/health/ready does not report database and redis up: $(cat "$TMP/body")"
ok "the api answers /health/ready 200 on https://127.0.0.1:$API_PORT, database and redis up"
status="$(http_status "https://127.0.0.1:$CALLBACK_PORT/health")"
[[ "$status" == 200 ]] || fail "callback /health through its published port answered $status"
status="$(http_status "http://127.0.0.1:$SANDBOX_PORT/health")"
[[ "$status" == 200 ]] || fail "sandbox /health through its published port answered $status"
ok "callback and sandbox answer /health on their published ports"

CURRENT_LOG="$LOG_DIR/service-names.log"
compose_dev exec -T api node -e '
  const net = require("node:net");
  const url = (name) => new URL(process.env[name]);
  const probe = (name, send, expect) => new Promise((resolve, reject) => {
    const { hostname, port } = url(name);
    const socket = net.connect(Number(port), hostname, () => send ? socket.write(send) : socket.end());
    socket.setTimeout(5000, () => reject(new Error(`${name}: no answer from ${hostname}`)));
    socket.on("data", (data) => { socket.destroy(); expect.test(String(data)) ? resolve(hostname) : reject(new Error(String(data))); });
    socket.on("end", () => resolve(hostname));
    socket.on("error", reject);
  });
  Promise.all([probe("DATABASE_URL", null, /./), probe("REDIS_URL", "PING\r\n", /^\+PONG/)])
    .then((hosts) => console.log(hosts.join(" ")), (error) => { console.error(error.message); process.exit(1); });
' >"$CURRENT_LOG" 2>&1 || fail "the api container cannot reach PostgreSQL and Redis"
[[ "$(tail -n1 "$CURRENT_LOG")" == "postgres redis" ]] || fail "the api container's DATABASE_URL / REDIS_URL hosts: $(tail -n1 "$CURRENT_LOG")"
ok "the api container reaches PostgreSQL (postgres:5432) and Redis (redis:6379, PONG) by service name"

# Hot reload: nest's watcher restarts the api when a source file changes in the mounted repository.
API_ID="$(compose_dev ps -q api)"
starts() { docker logs "$API_ID" 2>&1 | grep -c 'Nest application successfully started' || true; }
ready() { [[ "$(http_status "https://127.0.0.1:$API_PORT/health/ready")" == 200 ]]; }
restarted_since() { (($(starts) > $1)) && ready; }
before="$(starts)"
echo "// docker flow test: hot reload probe" >>"$REPO/apps/api/src/main.ts"
CURRENT_LOG=""
wait_until "the api to restart after an edit of apps/api/src/main.ts" 180 restarted_since "$before"
ok "hot reload: editing apps/api/src/main.ts restarted the api in its container ($before → $(starts) starts)"
before="$(starts)"
git -C "$REPO" checkout -q -- apps/api/src/main.ts
wait_until "the api to restart after the edit was undone" 180 restarted_since "$before"

# A row written through the dev api, to find again after test-clean and after down/up.
FLOW_EMAIL="flow-$RANDOM$RANDOM@example.com"
status="$(http_status -X POST "https://127.0.0.1:$API_PORT/api/v1/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"$FLOW_EMAIL\",\"password\":\"flow-test-$RANDOM-passphrase\",\"name\":\"Docker Flow\"}")"
[[ "$status" == 201 ]] || fail "POST /api/v1/auth/register answered $status: $(cat "$TMP/body")"
DEV_PG_USER="$(env_value .env POSTGRES_USER)" DEV_PG_DB="$(env_value .env POSTGRES_DB)"
dev_user_rows() {
  compose_dev exec -T postgres psql -U "$DEV_PG_USER" -d "$DEV_PG_DB" -tAc \
    "SELECT count(*) FROM users WHERE email = '$FLOW_EMAIL'" 2>/dev/null | tr -d '[:space:]'
}
[[ "$(dev_user_rows)" == 1 ]] || fail "the registered user is not in the dev database"
ok "a user registered through the dev api is in the dev database ($FLOW_EMAIL)"

# ---------------------------------------------------------------------------------------------------
# make test-setup, beside the running dev stack

run_logged make-test-setup test_make test-setup
grep -q 'TestDbBootstrap\] rebuilt "dashtam_test"' "$CURRENT_LOG" || fail "make test-setup: TestDbBootstrap did not report a rebuild"
[[ "$(project_services dashtam-test)" == "app postgres redis" ]] \
  || fail "make test-setup: the test project runs [$(project_services dashtam-test)]"
[[ -z "$(unhealthy_in dashtam-test)" ]] || fail "make test-setup: not healthy: $(unhealthy_in dashtam-test)"
[[ -z "$(unhealthy_in dashtam)" ]] || fail "the dev stack is no longer healthy after make test-setup: $(unhealthy_in dashtam)"
ok "make test-setup: project dashtam-test (app, postgres, redis) healthy beside the dev stack"
test_db_url="$(compose_test exec -T app printenv DATABASE_URL | tr -d '\r')"
test_redis_url="$(compose_test exec -T app printenv REDIS_URL | tr -d '\r')"
test_db="${test_db_url##*/}"
[[ "$test_db" == *test* && "$test_db_url" == *@postgres:5432/* ]] || fail "the app container's database is $test_db_url"
[[ "$test_redis_url" == redis://redis:6379/1 ]] || fail "the app container's Redis is $test_redis_url"
ok "the app container uses database \"$test_db\" on the test postgres and Redis index 1"
TEST_ROLE="$(env_value .env.test TEST_POSTGRES_USER)"
owner="$(compose_test exec -T postgres psql -U "$(env_value .env.test POSTGRES_USER)" -d postgres -tAc \
  "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$test_db'" | tr -d '[:space:]')"
[[ "$owner" == "$TEST_ROLE" ]] || fail "database $test_db is owned by '$owner', not the init script's role $TEST_ROLE"
ok "the init script created role $TEST_ROLE, owner of $test_db"
ok "TestDbBootstrap ran inside the app container via docker exec and rebuilt $test_db"
CURRENT_LOG="$LOG_DIR/bootstrap-guard.log"
if compose_test exec -T -e DATABASE_URL="postgres://$TEST_ROLE:x@postgres:5432/dashtam" app npm run db:test:bootstrap \
  >"$CURRENT_LOG" 2>&1; then
  fail "TestDbBootstrap ran against a database whose name lacks \"test\""
fi
grep -q 'TestDbBootstrap refused' "$CURRENT_LOG" || fail "TestDbBootstrap failed without its guard's refusal"
ok "its guard refuses, in the same container, a database whose name lacks \"test\""

# ---------------------------------------------------------------------------------------------------
# make test-unit, make test-e2e (a subset) inside the app container

run_logged make-test-unit test_make test-unit
grep -Eq '^Tests: +[0-9]+ passed, [0-9]+ total' "$CURRENT_LOG" || fail "make test-unit: no passing Jest summary"
ok "make test-unit in the app container: $(grep -E '^Tests:' "$CURRENT_LOG" | tail -n1 | sed 's/  */ /g')"
run_logged make-test-e2e test_make test-e2e TESTS="$E2E_SUBSET"
grep -Eq '^Tests: +[0-9]+ passed, [0-9]+ total' "$CURRENT_LOG" || fail "make test-e2e: no passing Jest summary"
[[ "$(grep -c '^PASS ' "$CURRENT_LOG")" == "$(wc -w <<<"$E2E_SUBSET")" ]] || fail "make test-e2e: not every suite of the subset passed"
ok "make test-e2e in the app container ($(wc -w <<<"$E2E_SUBSET") suites): $(grep -E '^Tests:' "$CURRENT_LOG" | tail -n1 | sed 's/  */ /g')"

# ---------------------------------------------------------------------------------------------------
# make test-clean: the test stack and its volumes go, dev stays

run_logged make-test-clean test_make test-clean
[[ -z "$(project_services dashtam-test)" ]] || fail "make test-clean left containers: $(project_services dashtam-test)"
[[ -z "$(docker volume ls -q --filter label=com.docker.compose.project=dashtam-test)" ]] \
  || fail "make test-clean left volumes: $(docker volume ls -q --filter label=com.docker.compose.project=dashtam-test | xargs)"
[[ -z "$(docker volume ls -q --filter dangling=true)" ]] || fail "make test-clean left anonymous volumes"
[[ -z "$(docker network ls -q --filter label=com.docker.compose.project=dashtam-test)" ]] || fail "make test-clean left its network"
ok "make test-clean removed the test stack's containers, volumes and network"
[[ "$(project_services dashtam)" == "api callback postgres redis sandbox" && -z "$(unhealthy_in dashtam)" ]] \
  || fail "the dev stack did not survive make test-clean"
[[ "$(dev_user_rows)" == 1 ]] || fail "the dev row is gone after make test-clean"
ok "the dev stack still runs, healthy, with the registered user"

# ---------------------------------------------------------------------------------------------------
# make down && make up: development data survives

run_logged make-down dev_make down
[[ -z "$(project_services dashtam)" ]] || fail "make down left containers: $(project_services dashtam)"
run_logged make-up-again dev_make up
[[ -z "$(unhealthy_in dashtam)" ]] || fail "the second make up: not healthy: $(unhealthy_in dashtam)"
[[ "$(dev_user_rows)" == 1 ]] || fail "the dev row did not survive make down && make up"
status="$(http_status "https://127.0.0.1:$API_PORT/health/ready")"
[[ "$status" == 200 ]] || fail "after make down && make up, /health/ready answered $status"
ok "make down && make up: healthy again, and the registered user is still there"

# ---------------------------------------------------------------------------------------------------
# The production image

PROD_IMAGE="dashtam:flow-test"
# The NODE_IMAGE the make targets used (the local one, unless DOCKER_FLOW_IMAGES=official).
NODE_BASE="$(make -C "$REPO" -s --no-print-directory --eval 'flow-node-image: ; @echo $(NODE_IMAGE)' flow-node-image)"
run_logged build-production docker build --network host ${NODE_BASE:+--build-arg "NODE_IMAGE=$NODE_BASE"} \
  --target production -t "$PROD_IMAGE" -f "$REPO/docker/Dockerfile" "$REPO"
ok "the production image builds"
[[ "$(docker image inspect -f '{{.Config.User}}' "$PROD_IMAGE")" == 1000:1000 ]] || fail "the production image's user is not 1000:1000"
uid="$(docker run --rm --network none "$PROD_IMAGE" id -u)"
[[ "$uid" == 1000 ]] || fail "the production image runs as uid $uid"
ok "it runs as uid 1000 (the node user), not root"
CURRENT_LOG="$LOG_DIR/production-contents.log"
docker run --rm --network none -v "$REPO/package-lock.json:/tmp/package-lock.json:ro" "$PROD_IMAGE" node -e '
  const fs = require("node:fs");
  const lock = JSON.parse(fs.readFileSync("/tmp/package-lock.json", "utf8"));
  const dev = Object.entries(lock.packages).filter(([path, p]) => path && p.dev).map(([path]) => path);
  const present = dev.filter((path) => fs.existsSync(path));
  const sources = ["apps", "libs", "scripts", ".env", ".env.test", "tsconfig.json"].filter((f) => fs.existsSync(f));
  console.log(`${dev.length} dev-only packages in the lock file, ${present.length} present; sources: ${sources.length}`);
  if (dev.length === 0 || !dev.includes("node_modules/@nestjs/cli") || present.length || sources.length) {
    console.error(JSON.stringify({ present: present.slice(0, 20), sources }));
    process.exit(1);
  }
' >"$CURRENT_LOG" 2>&1 || fail "the production image holds development dependencies or sources"
ok "it holds no development dependency and no source or env file ($(head -n1 "$CURRENT_LOG"))"

# Production settings against the compose PostgreSQL and Redis: a role and database of its own, real
# secrets made up here, PostgreSQL without TLS accepted explicitly (a private network).
secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
PROD_PASSWORD="$(secret)"
compose_dev exec -T postgres psql -v ON_ERROR_STOP=1 -U "$DEV_PG_USER" -d postgres -q \
  -c "CREATE ROLE flow_prod LOGIN PASSWORD '$PROD_PASSWORD'" -c "CREATE DATABASE dashtam_flow_prod OWNER flow_prod" \
  >"$LOG_DIR/production-db.log" 2>&1 || { CURRENT_LOG="$LOG_DIR/production-db.log"; fail "creating the production check's database"; }
DEV_NETWORK="$(docker inspect -f '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}}{{end}}' "$(compose_dev ps -q postgres)")"
prod_env=(
  -e "DATABASE_URL=postgres://flow_prod:$PROD_PASSWORD@postgres:5432/dashtam_flow_prod"
  -e DATABASE_SSL=false -e DATABASE_SSL_DISABLED_I_UNDERSTAND=true
  -e REDIS_URL=redis://redis:6379/2
  -e "JWT_SECRET=$(secret)" -e "CALLBACK_SECRET=$(secret)" -e "SANDBOX_CLIENT_SECRET=$(secret)"
  -e CALLBACK_REDIRECT_URL=https://app.example.com/linked
  -e "TOKEN_ENCRYPTION_KEYS=prod1:$(head -c 32 /dev/urandom | base64)"
)
# (The engine warns that IPv4 forwarding is off: containers need none to reach each other.)
docker run -d --init --name dashtam-flow-prod --network "$DEV_NETWORK" "${prod_env[@]}" "$PROD_IMAGE" >/dev/null 2>&1
CURRENT_LOG="$LOG_DIR/production-run.log"
prod_ready() {
  docker logs dashtam-flow-prod >"$CURRENT_LOG" 2>&1
  [[ "$(docker inspect -f '{{.State.Running}}' dashtam-flow-prod)" == true ]] || fail "the production container exited"
  docker exec dashtam-flow-prod node docker/healthcheck.js http://127.0.0.1:8000/health/ready >/dev/null 2>&1
}
wait_until "the production api to answer /health/ready" 120 prod_ready
[[ "$(docker exec dashtam-flow-prod printenv ENVIRONMENT)" == production ]] || fail "the production container's ENVIRONMENT"
[[ "$(docker exec dashtam-flow-prod sh -c 'stat -c %u /proc/1')" == 1000 ]] || fail "the production process does not run as uid 1000"
migrated="$(compose_dev exec -T postgres psql -U "$DEV_PG_USER" -d dashtam_flow_prod -tAc 'SELECT count(*) FROM migrations' | tr -d '[:space:]')"
((migrated > 0)) || fail "the production api applied no migration to its empty database"
ok "it starts with ENVIRONMENT=production on the compose PostgreSQL and Redis: migrated ($migrated migrations), /health/ready 200"
docker rm -f dashtam-flow-prod >/dev/null

DEV_JWT_SECRET="$(sed -n "s/^  JWT_SECRET: '\(.*\)',$/\1/p" "$REPO/libs/config/src/defaults.ts")"
[[ -n "$DEV_JWT_SECRET" ]] || fail "no development JWT_SECRET found in libs/config/src/defaults.ts"
CURRENT_LOG="$LOG_DIR/production-refusal.log"
# A container that starts anyway would run on: timeout ends the wait, and that counts as a failure.
refusal=0
timeout 120 docker run --name dashtam-flow-refusal --network "$DEV_NETWORK" "${prod_env[@]}" \
  -e "JWT_SECRET=$DEV_JWT_SECRET" "$PROD_IMAGE" >"$CURRENT_LOG" 2>&1 || refusal=$?
[[ "$(docker inspect -f '{{.State.Running}}' dashtam-flow-refusal)" == false ]] || fail "the production image started with the development JWT_SECRET"
docker rm -f dashtam-flow-refusal >/dev/null
((refusal != 0)) || fail "the production image exited 0 with the development JWT_SECRET"
grep -q '"JWT_SECRET" is a development value' "$CURRENT_LOG" || fail "the production image failed, but not by refusing the development secret"
grep -qF "$DEV_JWT_SECRET" "$CURRENT_LOG" && fail "the refusal printed the secret"
ok "it refuses to start with a development secret (JWT_SECRET), naming the variable, not the value"

say "PASSED: $CHECKS checks in $(elapsed)"
