# Closeknit server image. Two stages: the browser client is built with Node, the
# server runs on a slim Python with only what `pip install .` brings.
FROM node:20-bookworm-slim AS client
WORKDIR /src
COPY web-client/ web-client/
COPY scripts/build-client.sh scripts/build-client.sh
RUN bash scripts/build-client.sh

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY game/ game/
COPY server/ server/
COPY decks/ decks/
RUN pip install --no-compile . && useradd --system --uid 10001 closeknit
COPY --from=client /src/web-client/dist/ web-client/dist/
USER closeknit
EXPOSE 8000
# SIGTERM drains: the server stops accepting, tells clients to reconnect elsewhere and
# finishes in-flight actions; compose's stop_grace_period gives it time to.
STOPSIGNAL SIGTERM
CMD ["closeknit", "serve", "--host", "0.0.0.0", "--port", "8000"]
