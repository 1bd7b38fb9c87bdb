# syntax=docker/dockerfile:1
# The one-shot migration runner: `prisma migrate deploy` for every service schema (Helm
# pre-install/pre-upgrade hook, compose `migrations`). Build from the repository root:
#   docker build -f deploy/docker/migrations.Dockerfile -t mission-control/migrations .
ARG NODE_IMAGE=node:20.20-bookworm-slim

# libs/database built, each service's Prisma schema and migrations, and the Prisma CLI with its
# dependencies (a devDependency of the services, but the one thing this image runs).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY . .
RUN node deploy/docker/workspaces.mjs manifests /manifests
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
RUN npx nx run database:build --outputStyle=static \
  && node deploy/docker/workspaces.mjs migrations /runtime

# Production dependencies of libs/database (pg, the Prisma adapter), from the lockfile.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=build /manifests ./
RUN --mount=type=cache,target=/root/.npm \
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w libs/database

FROM ${NODE_IMAGE} AS runtime
# The Prisma CLI's config loader would cache transpiled config files on disk.
ENV NODE_ENV=production JITI_FS_CACHE=false CHECKPOINT_DISABLE=1 HOME=/tmp
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /runtime ./
USER 1000:1000
ENTRYPOINT ["node", "deploy/docker/migrate.mjs"]
# Services to migrate (default: all).
CMD []
