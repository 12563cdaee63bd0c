# govflow worker and API image (one image, two commands), running the compiled JavaScript in dist/ with node:
# no TypeScript tooling in the final image (dev dependencies such as tsx are pruned). Used by docker-compose.yml.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
# prisma generate needs no engine binary; the placeholder satisfies the CLI's check. `npm run build` compiles to
# dist/ (tsc) and writes the workflow bundle (scripts/build-workflow-bundle.ts, compiled) that production workers load.
RUN printf '#!/bin/sh\nexit 1\n' > /tmp/schema-engine && chmod +x /tmp/schema-engine \
 && PRISMA_SCHEMA_ENGINE_BINARY=/tmp/schema-engine npx prisma generate \
 && npm run build

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
RUN npm prune --omit=dev --ignore-scripts && chown -R node:node /app
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
