# Closeknit server image. Two stages: the browser client is built with Node, the
# server runs on a slim Python with only what `pip install .` brings. Nothing here is
# tied to one architecture: both base images are multi-arch (amd64, arm64, ...), and
# npm and pip fetch the native parts (esbuild, hiredis, uvloop) for the building machine.
FROM node:20-bookworm-slim AS client
WORKDIR /src
COPY web-client/ web-client/
COPY scripts/build-client.sh scripts/build-client.sh
RUN bash scripts/build-client.sh

FROM python:3.11-slim-bookworm
ARG VERSION=0.1.0
# Where this image's source lives, given at build time (--build-arg SOURCE=<repo URL>).
ARG SOURCE=""
LABEL org.opencontainers.image.title="Closeknit" \
      org.opencontainers.image.description="A self-hostable question-card game for couples and party rooms" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="${SOURCE}"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Settings are environment variables (.env.example lists them all); these two differ
# from a laptop's defaults: every interface, as a container must.
ENV HOST=0.0.0.0 PORT=8000
WORKDIR /app
# The licence travels with the image (and pyproject's license-files needs it to build).
COPY pyproject.toml README.md LICENSE ./
COPY game/ game/
COPY server/ server/
COPY decks/ decks/
RUN pip install --no-compile . && useradd --system --uid 10001 --no-create-home closeknit
COPY --from=client /src/web-client/dist/ web-client/dist/
USER 10001
EXPOSE 8000
# Liveness from inside the container (the image has Python, not curl); compose asks
# /readyz instead, which also needs the store to answer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=3)"]
# SIGTERM drains: the server stops accepting, tells clients to reconnect elsewhere and
# finishes in-flight actions; compose's stop_grace_period gives it time to.
STOPSIGNAL SIGTERM
CMD ["closeknit", "serve"]
