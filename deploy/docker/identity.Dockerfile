# syntax=docker/dockerfile:1
# The identity service (NestJS). Build from the repository root:
#   docker build -f deploy/docker/identity.Dockerfile -t mission-control/identity .
ARG NODE_IMAGE=node:20.20-bookworm-slim

# Every dependency, the Prisma client (generated into src/generated), then the service and the
# workspace libraries it uses; assembled into /runtime.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY . .
RUN node deploy/docker/workspaces.mjs manifests /manifests
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
RUN npx nx run identity:build --outputStyle=static \
  && node deploy/docker/workspaces.mjs runtime services/identity /runtime

# Production dependencies of this workspace only, from the lockfile.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=build /manifests ./
RUN --mount=type=cache,target=/root/.npm \
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w services/identity

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 IDENTITY_PORT=4001
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /runtime ./
# Nothing is written at run time (in production the SDL ships with the image): the root file
# system can be read-only, /tmp an emptyDir.
USER 1000:1000
WORKDIR /app/services/identity
EXPOSE 4001
CMD ["node", "dist/main.js"]
