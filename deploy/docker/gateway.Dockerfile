# syntax=docker/dockerfile:1
# The GraphQL gateway (Apollo Gateway, graphql-ws, socket.io on one port). Build from the
# repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t mission-control/gateway .
ARG NODE_IMAGE=node:20.20-bookworm-slim

# Every dependency, then the gateway and the workspace libraries it uses, with the composed
# supergraph it serves; assembled into /runtime.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY . .
RUN node deploy/docker/workspaces.mjs manifests /manifests
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
RUN npx nx run gateway:build --outputStyle=static \
  && node deploy/docker/workspaces.mjs runtime gateway /runtime

# Production dependencies of this workspace only, from the lockfile.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=build /manifests ./
RUN --mount=type=cache,target=/root/.npm \
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w gateway

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 GATEWAY_PORT=4000
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /runtime ./
# Nothing is written at run time: the root file system can be read-only, /tmp an emptyDir.
USER 1000:1000
WORKDIR /app/gateway
EXPOSE 4000
CMD ["node", "dist/main.js"]
