# govflow worker and API image (one image, two commands). Used by docker-compose.yml.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
# prisma generate needs no engine binary; the placeholder satisfies the CLI's check.
RUN printf '#!/bin/sh\nexit 1\n' > /tmp/schema-engine && chmod +x /tmp/schema-engine \
 && PRISMA_SCHEMA_ENGINE_BINARY=/tmp/schema-engine npx prisma generate \
 && npx tsx scripts/build-workflow-bundle.ts

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
RUN npm prune --omit=dev --ignore-scripts && chown -R node:node /app
USER node
EXPOSE 3000
CMD ["npx", "tsx", "api/main.ts"]
