# A stand-in for the official node:<version>-bookworm-slim image, for machines that reach no image
# registry (scripts/docker-local-images.sh builds it). The same layout: node, npm and npx in
# /usr/local, the `node` user and group with uid/gid 1000, no compiler. The build context holds the
# official Linux x64 Node binary and npm, brought from the npm registry by the script, and the host's CA
# certificates for npm (see the script).
ARG BASE_IMAGE=dashtam-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN groupadd --gid 1000 node \
    && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node /usr/local/bin/node
# npm's global config (npmrc) and the host's CA bundle, when the script found one.
COPY etc/ /usr/local/etc/
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
CMD ["node"]
