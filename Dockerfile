# Trilha's image: one build stage with every tool, one small runtime stage with only what the bot needs to run.
#   docker build -t trilha:local .        (or `docker compose build`, see docker-compose.yml)
# There is no compile-to-JavaScript step: tsx runs the TypeScript sources directly, in production too.

# ---------------------------------------------------------------------------------------------------------------------
# Build stage: dev dependencies, the generated Prisma clients, the type check. Nothing here ships except what the
# runtime stage copies out of it.
# ---------------------------------------------------------------------------------------------------------------------
# The base image is pinned to an exact Node release, so a rebuild next month gets the same Node (a bare `node:24`
# moves under you). 24.22.3 is the newest release of Node 24, the current LTS; it bundles npm 11.19.1
# (docs/decisions/0005-supported-node-and-truthful-engines.md). Debian bookworm-slim, not Alpine: better-sqlite3 ships prebuilt
# binaries for glibc, and Alpine's musl would mean compiling it. Both stages use the same image, so the native module
# built here runs there. To upgrade Node, change both FROM lines.
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

# The sources, then what `npm ci` runs as postinstall: write prisma/<kind>/schema.prisma and generate both Prisma
# clients into src/db/generated/ (the prisma CLI is a dev dependency). The type check stops a broken build here.
COPY . .
RUN npm run db:generate \
  && npm run typecheck

# ---------------------------------------------------------------------------------------------------------------------
# Runtime stage: production dependencies, the sources with their generated clients, the content. No compilers, no
# dev dependencies, not root.
# ---------------------------------------------------------------------------------------------------------------------
FROM node:24.22.3-bookworm-slim AS runtime

# Libraries read NODE_ENV=production to skip development-only work. Set in this stage only: in the build stage it
# would make `npm ci` leave out the dev dependencies the build needs.
ENV NODE_ENV=production

WORKDIR /app

# Production dependencies only. --ignore-scripts because the postinstall (generate the Prisma clients) cannot work
# here: the sources are not copied yet, and generating is the build stage's job. The generated clients are copied
# from the build stage instead, so the image runs exactly the clients that were type-checked.
# (With --omit=dev the prisma CLI and typescript are still installed: @prisma/client lists them as optional peer
# dependencies and the project has them as dev dependencies, which npm marks "devOptional" and keeps. The image does
# not rely on that.)
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

# better-sqlite3's native module, built (or downloaded) once in the build stage for this same base image, instead of
# downloading it again or installing compilers here.
COPY --from=build /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node \
  ./node_modules/better-sqlite3/build/Release/better_sqlite3.node

# What the bot reads at run time: its sources (with src/db/generated/), the schemas and migrations it applies at
# start, the tracks. Owned by root and read-only to the bot: it cannot change its own code.
COPY --from=build /app/tsconfig.json ./
COPY --from=build /app/src ./src
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
# image turns it on, since HEALTHCHECK below calls it.
ENV TRILHA_HTTP_PORT=8080
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
# be killed instead of stopping cleanly. `--import tsx` loads the TypeScript loader inside this one node process
# (the `tsx` command would start a second one).
# Pending migrations are applied by the bot itself at start (no Prisma binary, no separate step): a new image
# migrates the database on its first start.
CMD ["node", "--import", "tsx", "src/main.ts"]
