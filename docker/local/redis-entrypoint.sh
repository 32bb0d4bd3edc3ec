#!/usr/bin/env bash
# The official redis image's behaviour the compose files rely on: `redis-server [options]` runs as the
# redis user from /data, and without a config file protected mode is off, as there, so that other
# containers reach it (the port is published on the host's loopback only).
set -Eeuo pipefail

if [[ "${1:-}" == -* || "${1:-}" == *.conf ]]; then set -- redis-server "$@"; fi

if [[ "${1:-}" == redis-server ]]; then
  if [[ " $* " != *" --protected-mode "* && "${2:-}" != *.conf ]]; then set -- "$@" --protected-mode no; fi
  if [[ "$(id -u)" == 0 ]]; then
    chown redis:redis /data
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi

exec "$@"
