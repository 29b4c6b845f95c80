# syntax=docker/dockerfile:1
# Redrive runs its TypeScript directly on Node 24 (type stripping): no build step.
# The base is pinned to the Node version the project runs everywhere else (.node-version; a test keeps
# them equal). Build: docker build -t redrive . (README "Deploy").
FROM node:24.21.0-slim
WORKDIR /app
ENV NODE_ENV=production
# Dependencies first, in their own layer: it is rebuilt only when package.json or the lock file change.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY examples ./examples
COPY manifest.yml ./
# The SQLite file and the console workspace live in /app/.data: created here, owned by the user that
# runs Redrive, so a fresh named volume mounted there inherits the owner.
RUN mkdir -p /app/.data && chown node:node /app/.data
# Mount a config at /config/redrive.yml (server.host: 0.0.0.0) and a volume at /app/.data, or set DATABASE_URL.
ENV REDRIVE_CONFIG=/config/redrive.yml
VOLUME ["/app/.data"]
EXPOSE 3000
USER node
# The slim image has no curl: Node's own fetch asks /readyz (the store answers) on the default port.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--disable-warning=ExperimentalWarning", "--disable-warning=TimeoutNegativeWarning", "src/main.ts", "serve"]
