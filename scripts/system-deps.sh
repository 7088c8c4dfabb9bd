#!/usr/bin/env bash
# Installs the system packages the test suite needs, only when missing (idempotent).
# redis-server, nginx, chromium (Debian's; Playwright drives it, no browser download),
# docker-compose (only parses the compose file; no engine runs here), node/npm, caddy
# (the HTTPS test runs it with its internal CA, never installed into a trust store), gcc
# and the Python headers (mypyc).
set -euo pipefail
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || need+=(nginx)
command -v chromium >/dev/null || need+=(chromium)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v caddy >/dev/null || need+=(caddy)
command -v npm >/dev/null || need+=(nodejs npm)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# mypyc (tests/test_mypyc.py, make run MYPYC=1): a C compiler and the interpreter's headers
command -v gcc >/dev/null || need+=(gcc)
py=.venv/bin/python
[ -x "$py" ] || py=$(bash "$(dirname "$0")/python.sh")
"$py" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("include"), "Python.h")))' 2>/dev/null ||
  need+=(python3-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
