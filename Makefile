# The two sacred commands: `make run` and `make test`. Both work on a fresh machine.
SHELL := /bin/bash
VENV ?= .venv
# A distribution's optimised build when there is one (see scripts/python.sh).
PYTHON ?= $(shell bash scripts/python.sh)
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp-installed
CLIENT := web-client/dist/.stamp-built
PORT ?= 8000

.PHONY: run test check bench soak soak-plain fuzz venv client system-deps fmt clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

venv: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

$(CLIENT): $(shell find web-client -path web-client/node_modules -prune -o -path web-client/dist -prune -o -type f -print 2>/dev/null)
	bash scripts/build-client.sh
	touch $@

client: $(CLIENT)

# MYPYC=1: the rules engine (game/) and the hot server modules compiled by mypyc, first on the
# path (scripts/build_mypyc.py, fully optimised, gcc -O3: about four minutes the first time
# after game/ or server/ changed, then cached under build/mypyc/; make test compiles its own
# quick build of the same code at -O0).
run: venv client
	if [ "$(MYPYC)" = 1 ]; then engine=$$($(PY) scripts/build_mypyc.py) || exit 1; \
	  export PYTHONPATH="$$engine$${PYTHONPATH:+:$$PYTHONPATH}"; fi; \
	exec $(VENV)/bin/closeknit serve --port $(PORT)

check: venv
	$(VENV)/bin/ruff check game server decks tests bench
	$(VENV)/bin/ruff format --check game server decks tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: system-deps venv client
	$(PY) -m pytest --cov=game --cov-branch --cov-report=term --cov-fail-under=95 -p no:cacheprovider

# BASELINE=<commit>: that commit's server runs in the same suite (from a git worktree
# under /tmp, removed afterwards), so a change's effect is a same-run ratio.
# BENCH_ARGS: more options for bench.run (--quick, --rooms 10, --only redis, --full).
bench: system-deps venv client
	$(PY) -m bench.run $(if $(BASELINE),--baseline $(BASELINE)) $(BENCH_ARGS)

# The codec under atheris for ten minutes (make test runs it for ten seconds).
fuzz: venv
	$(PY) -m tests.fuzz.codec_target -max_total_time=$${FUZZ_SECONDS:-600} -rss_limit_mb=2048

# 30 minutes of games on two instances with every fault mixed in (bench/soak_mix.py).
soak: system-deps venv client
	$(PY) -m bench.soak --mix --seconds $${SOAK_SECONDS:-1800}

# 10 minutes of games on one instance, no faults but dropped connections.
soak-plain: system-deps venv client
	$(PY) -m bench.soak --seconds 600

fmt: venv
	$(VENV)/bin/ruff format game server decks tests bench
	$(VENV)/bin/ruff check --fix game server decks tests bench

clean:
	rm -rf $(VENV) web-client/dist web-client/node_modules
