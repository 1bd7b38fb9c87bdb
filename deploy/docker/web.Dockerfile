# syntax=docker/dockerfile:1
# The web app (Next.js, `output: 'standalone'`). Build from the repository root:
#   docker build -f deploy/docker/web.Dockerfile -t mission-control/web .
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true NEXT_TELEMETRY_DISABLED=1 \
    NEXT_OUTPUT=standalone
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
# The standalone output traces the production dependencies the server needs: no npm install in
# the image. A public/ folder is optional in the sources but copied below.
RUN npx nx run web:build --outputStyle=static && mkdir -p web/public

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/web/.next/standalone ./
COPY --from=build /app/web/.next/static ./web/.next/static
COPY --from=build /app/web/public ./web/public
# Writes only to .next/cache (rendered pages, optimised images): mount an emptyDir (or tmpfs)
# there and at /tmp with a read-only root file system.
USER 1000:1000
EXPOSE 3000
CMD ["node", "web/server.js"]
