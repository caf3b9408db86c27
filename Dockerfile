# syntax=docker/dockerfile:1
#
# One image for every role (DESIGN.md "Roles and scaling"):
#   docker run payment-gateway                               -> api + workers (APP_ROLE=all)
#   docker run -e APP_ROLE=api payment-gateway               -> HTTP only
#   docker run payment-gateway node dist/main.js --worker    -> workers only (no HTTP: pass --no-healthcheck)
# docker-compose.yml runs the api and worker roles from this image.

# ---- build: server + migrations (dist/), dashboard and checkout (client/dist), SDK (sdk/dist) ----
FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency needs its install script: esbuild, rolldown and lightningcss ship prebuilt
# per-platform packages (musl ones included in the lockfile), the rest are telemetry or optional.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# ---- deps: production dependencies only ----
FROM node:20-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime ----
FROM node:20-alpine AS runtime
ENV NODE_ENV=production \
    PORT=8000
WORKDIR /app
# Root-owned and read-only for the `node` user that runs the app: it never writes to its own tree.
# package.json is needed at runtime: its "type": "module" makes dist/*.js ES modules.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
# Same paths as in the repository: the server serves client/dist and sdk/dist relative to the app
# root, and runs migrations from dist/migrations.
COPY --from=build /app/dist ./dist
COPY --from=build /app/client/dist ./client/dist
COPY --from=build /app/sdk/dist ./sdk/dist
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# CMD rather than ENTRYPOINT so `command: node dist/main.js --worker` replaces it as a whole.
CMD ["node", "--max-old-space-size=256", "dist/main.js"]
