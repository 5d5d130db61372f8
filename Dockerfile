# Multi-stage: build the server, the inbox and the site chat widget with dev tools, run with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 (the embedded store) compiles when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -p tsconfig.build.json \
  && npx vite build --config inbox/vite.config.ts \
  && npx vite build --config bot/webchat/widget/vite.config.ts \
  && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 LOG_FORMAT=json DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/inbox/dist ./inbox/dist
COPY --from=build /app/bot/webchat/widget/dist ./bot/webchat/widget/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node directly (not npm), so SIGTERM from `docker stop` reaches the server's graceful shutdown.
CMD ["node", "dist/server/boot/main.js"]
