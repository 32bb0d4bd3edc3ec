#!/usr/bin/env bash
# Waits until every container of a compose project is running and, where it has a healthcheck, healthy:
# what `docker compose up --wait` does in Compose v2, for Compose v1 (docker-compose 1.29) too.
#
#   scripts/compose-wait.sh <compose command...>     e.g. scripts/compose-wait.sh docker compose -p dashtam -f compose.yaml
#
# Fails at once when a container exits or turns unhealthy, and after COMPOSE_WAIT_TIMEOUT seconds
# (default 600: the first start compiles every app), printing the container's last health probes and
# logs. The healthchecks' own start periods and retries decide what "unhealthy" means.
set -Eeuo pipefail

(($# > 0)) || {
  echo "usage: $0 <compose command...>" >&2
  exit 2
}
timeout="${COMPOSE_WAIT_TIMEOUT:-600}"
deadline=$((SECONDS + timeout))

report() {
  local id="$1" why="$2"
  echo "compose-wait: $why" >&2
  docker inspect -f '{{range .State.Health.Log}}  probe exit {{.ExitCode}}: {{.Output}}{{end}}' "$id" >&2 2>/dev/null || true
  echo "--- last log lines of $(docker inspect -f '{{.Name}}' "$id" | cut -c2-):" >&2
  docker logs --tail 60 "$id" >&2 2>&1 || true
}

while :; do
  # -a: a container that already exited must fail the wait, and Compose v2 lists only running ones without it.
  mapfile -t ids < <("$@" ps -a -q)
  ((${#ids[@]} > 0)) || {
    echo "compose-wait: the project has no containers" >&2
    exit 1
  }
  waiting=()
  for id in "${ids[@]}"; do
    read -r name state health < <(docker inspect -f \
      '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id") \
      || continue # removed meanwhile: the next round lists the containers again
    name="${name#/}"
    case "$state/$health" in
      running/healthy | running/none) ;;
      running/starting | created/* | restarting/*) waiting+=("$name ($state, $health)") ;;
      running/unhealthy)
        report "$id" "$name is unhealthy"
        exit 1
        ;;
      *)
        report "$id" "$name is $state (exit code $(docker inspect -f '{{.State.ExitCode}}' "$id"))"
        exit 1
        ;;
    esac
  done
  if ((${#waiting[@]} == 0)); then
    echo "compose-wait: ${#ids[@]} container(s) up and healthy"
    exit 0
  fi
  if ((SECONDS >= deadline)); then
    echo "compose-wait: still waiting after ${timeout} s for: ${waiting[*]}" >&2
    for id in "${ids[@]}"; do
      [[ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")" == healthy ]] \
        || report "$id" "not ready: $(docker inspect -f '{{.Name}}' "$id" | cut -c2-)"
    done
    exit 1
  fi
  sleep 2
done
