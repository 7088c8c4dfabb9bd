#!/usr/bin/env bash
# Builds the browser client into web-client/dist (npm packages from the registry only).
set -euo pipefail
cd "$(dirname "$0")/../web-client"
if [ ! -f package.json ]; then mkdir -p dist; exit 0; fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
npm run build
