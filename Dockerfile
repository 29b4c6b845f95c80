# Redrive runs its TypeScript directly on Node 24 (type stripping): no build step.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY examples ./examples
COPY manifest.yml ./
# Mount a config at /config/redrive.yml and a volume for the SQLite file (or set DATABASE_URL).
ENV REDRIVE_CONFIG=/config/redrive.yml
VOLUME ["/app/.data"]
EXPOSE 3000
USER node
CMD ["node", "--disable-warning=ExperimentalWarning", "--disable-warning=TimeoutNegativeWarning", "src/main.ts", "serve"]
