# syntax=docker/dockerfile:1
#
# Interview service API. Two stages: compile TypeScript with the dev dependencies, then run the
# compiled dist/ on production dependencies only, as the unprivileged `node` user.
#
#   docker build -t interview-service .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://… -e JWT_SECRET="$(openssl rand -base64 48)" interview-service
#
# NODE_ENV=production makes JWT_SECRET required: 32+ random characters (placeholders, published values
# and repetitions are refused, as is such an ADMIN_PASSWORD); DATABASE_URL should be
# set too (unset, the app falls back to an embedded PostgreSQL under /app/.data, which is meant for
# development, not for a container). See docker-compose.yml for a complete local setup.
# The same image runs the event relay on its own: `docker run … interview-service node dist/apps/worker/src/main.js`.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, compile to dist/ ------------------------------------------------
FROM ${NODE_IMAGE} AS build
ENV SCARF_ANALYTICS=false
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# ---- runtime: production dependencies + dist/ ---------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    SCARF_ANALYTICS=false \
    PORT=3000
WORKDIR /app

# package.json also carries the `imports` map (#platform, #identity, …) that resolves to dist/ at run time.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --from=build /app/dist ./dist

# Code stays owned by root (read-only for the app); only the embedded-database directory is writable.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node

EXPOSE 3000

# No curl in slim images: ask /health/ready (the database answers) with Node's own fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["node", "--max-old-space-size=160", "dist/apps/api/src/main.js"]
