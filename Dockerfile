# syntax=docker/dockerfile:1
# auditpack in a container, for scheduled runs (README "Scheduled runs", examples/schedule/).
#   docker build -t auditpack .
#   docker run --rm -v "$PWD/config:/config:ro" -v "$PWD/packs:/packs" auditpack
# No credentials or keys are baked in: AWS credentials come from the task role / environment at run time, and
# signing is best done with a KMS key (auditpack.yaml `signing.kmsKeyId`), so no private key is in the image.
# Pin the base images by digest (node:20-slim@sha256:…) in your own registry for fully reproducible builds.

# ---- build: compile TypeScript with the dev dependencies ----
FROM node:20-slim AS build
WORKDIR /src
ENV NODE_ENV=development
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build runs explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY collectors ./collectors
# tsconfig.build.json also compiles bench/ and test/support/ (and the helpers they import); only dist/src and
# dist/collectors reach the runtime image.
COPY bench ./bench
COPY test/support ./test/support
COPY test/helpers ./test/helpers
RUN npm run build

# ---- runtime: Node 20 slim, production dependencies only, non-root ----
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; no install scripts (none are needed: pdfkit and the AWS SDK are pure JavaScript).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# Only what the CLI reads at run time (src/core/paths.ts PACKAGE_ROOT = /app): the compiled code and the catalog,
# report definitions, JSON schemas and HTML templates. Owned by root, so the non-root user cannot change them.
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/dist/collectors ./dist/collectors
COPY controls ./controls
COPY reports ./reports
COPY schemas ./schemas
COPY templates ./templates
# /config holds auditpack.yaml (mounted read-only); /packs receives the evidence packs. Both belong to `node`, so
# a volume mounted there (Docker named volume, ECS Fargate bind mount) is writable by the non-root user.
RUN mkdir -p /config /packs && chown node:node /config /packs
VOLUME ["/packs"]
USER node
ENTRYPOINT ["node", "dist/src/cli/bin.js"]
# Paths inside auditpack.yaml must stay in its folder; the pack folder is outside it, so it is given as a flag.
CMD ["run", "--config", "/config/auditpack.yaml", "--out", "/packs"]
