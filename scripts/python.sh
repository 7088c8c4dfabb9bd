#!/usr/bin/env bash
# Prints the interpreter the venv is made from: Python 3.11 or newer that can make a
# venv with pip. The distribution's own /usr/bin/python3 comes first: Debian, Ubuntu
# and Fedora build it with profile-guided and link-time optimisation, and the server
# spent about a quarter less CPU per move on Debian's than on an unoptimised source
# build (pyenv's default). Then python3 on the PATH. `make PYTHON=...` overrides the choice;
# PYTHON_CANDIDATES replaces the list (the tests use it).
set -uo pipefail
for candidate in ${PYTHON_CANDIDATES:-/usr/bin/python3 python3}; do
  if command -v "$candidate" >/dev/null 2>&1 &&
    "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done
echo python3
