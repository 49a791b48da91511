# Trilha's image: one build stage with every tool, one small runtime stage with only what the bot runs: the compiled
# JavaScript in dist/ (a bundle, with the few packages it cannot hold beside it), the migrations, the tracks.
#   docker build -t trilha:local .        (or `docker compose build`, see docker-compose.yml; docs/production.md)

# ---------------------------------------------------------------------------------------------------------------------
# Build stage: dev dependencies, the generated Prisma clients, the type check, the build. Nothing here ships except
# dist/, prisma/ and content/, which the runtime stage copies out of it.
# ---------------------------------------------------------------------------------------------------------------------
# The base image is pinned to an exact Node release, so a rebuild next month gets the same Node (a bare `node:24`
# moves under you). 24.22.3 is the newest release of Node 24, the current LTS; it bundles npm 11.19.1
# (docs/decisions/0005-supported-node-and-truthful-engines.md). Debian bookworm-slim, not Alpine: better-sqlite3 ships
# prebuilt binaries for glibc, and Alpine's musl would mean compiling it. Both stages use the same image, so the
# native modules built here run there. To upgrade Node, change both FROM lines.
FROM node:24.22.3-bookworm-slim AS build

WORKDIR /app

# Compilers, in this stage only: better-sqlite3's install downloads a prebuilt binary for this Node and glibc, and
# compiles from source with these when the download cannot be reached. The runtime stage never needs them.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

# Dependencies before the sources: this layer is rebuilt only when package.json or the lockfile change, not on every
# code change. `npm ci` installs exactly the lockfile. Install scripts are skipped (the project's own postinstall
# needs the sources, which come next), then run for the two packages the project's allowScripts approves.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3 esbuild

# The sources, then what `npm ci` runs as postinstall (write prisma/<kind>/schema.prisma, generate both Prisma
# clients into src/db/generated/), the type check (a broken build stops here), and the build: esbuild bundles
# src/main.ts into dist/ with source maps, and puts beside it the native modules, the WebAssembly schema engine and
# the chart fonts the bundle loads from disk (src/cli/build.ts).
COPY . .
RUN npm run db:generate \
  && npm run typecheck \
  && npm run build

# ---------------------------------------------------------------------------------------------------------------------
# Runtime stage: no node_modules, no compilers, no dev tools (no Prisma CLI, TypeScript or tsx), not root.
# ---------------------------------------------------------------------------------------------------------------------
FROM node:24.22.3-bookworm-slim AS runtime

# Libraries read NODE_ENV=production to skip development-only work. Set in this stage only: in the build stage it
# would make `npm ci` leave out the dev dependencies the build needs.
ENV NODE_ENV=production

# Memory of an idle bot (docs/production.md, "Memory", says what each saves and how it was measured):
# - V8's young generation at most 2 × 8 MB (Node 24 reserves 2 × 16 MB, and an idle bot uses 1 to 9 MB of it);
#   answers under load measured the same with and without;
# - glibc hands back freed memory at the top of its heaps past 128 KB, and serves blocks of 128 KB or more with their
#   own mappings (its default raises both thresholds as the process runs, so what start-up used stays).
# Set as environment, so `docker run -e NODE_OPTIONS=…` (or Compose's environment) can change them. Once connected, the
# bot also collects what its start-up left, once (src/ops/startup-memory.ts).
ENV NODE_OPTIONS=--max-semi-space-size=8 \
  MALLOC_TRIM_THRESHOLD_=131072

WORKDIR /app

# What the bot runs and reads, owned by root and read-only to the bot (it cannot change its own code): the bundle
# with its packages, the schemas and migrations it applies at start, the tracks.
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/content ./content

# The data folder holds the SQLite database when DATABASE_URL is file:./data/… (the default). It is created here,
# owned by the bot's user, before VOLUME: a new named volume starts as a copy of it, ownership included.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]

# Not root: the node image's own unprivileged user (uid 1000). A bug in the bot cannot change its code or the
# image's system files; it can write to /app/data and /tmp.
USER node

# The health server: GET /healthz answers 200 while the bot is up. It is off by default outside a container; the
# image turns it on, since HEALTHCHECK below calls it. Servers bind loopback unless told otherwise; in a container,
# loopback is the container's own, so the health server and Slack's HTTP mode listen on every interface of the
# container, and only the ports `docker run -p` publishes are reachable from outside.
ENV TRILHA_HTTP_PORT=8080 \
  TRILHA_HTTP_HOST=0.0.0.0 \
  SLACK_HOST=0.0.0.0
EXPOSE 8080

# Docker marks the container unhealthy after 3 failed checks. Node itself makes the request (the slim image has no
# curl); the port comes from the container's environment, so it follows TRILHA_HTTP_PORT if that is changed. The
# start period covers the migrations the bot applies at start.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.TRILHA_HTTP_PORT || 8080) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# `docker stop` sends SIGTERM (the default, written out): the bot stops its scheduler and adapters, closes the
# database and exits. Docker sends SIGKILL if that takes longer than the grace period (10 s; compose sets 15 s).
STOPSIGNAL SIGTERM

# Exec form (a JSON array): node is the container's main process and receives SIGTERM itself. The shell form would
# put /bin/sh in front, and `npm start` would put npm in front; neither passes signals on reliably, so the bot would
# be killed instead of stopping cleanly. --enable-source-maps: stack traces name the TypeScript file and line.
# Pending migrations are applied by the bot itself at start (no Prisma binary, no separate step): a new image
# migrates the database on its first start.
CMD ["node", "--enable-source-maps", "dist/main.js"]
