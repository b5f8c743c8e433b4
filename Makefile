# gratibot: `make run` starts the bot, `make test` runs every check. Both install first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-stamp
DEV_STAMP     := $(VENV)/.dev-stamp

.PHONY: install install-dev run test lint audit bench clean

install: $(RUNTIME_STAMP)
install-dev: $(DEV_STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade $(BUILD_TOOLS)

# Build tools new enough to carry their security fixes (an old venv is brought up to date).
BUILD_TOOLS := "pip>=25.0" "setuptools>=78.1.1" "wheel>=0.46.2"

# What running needs; reinstalls only when pyproject.toml changes.
$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade $(BUILD_TOOLS)
	$(BIN)/pip install --quiet -e .
	@touch $@

# Running plus the test tools (pytest, ruff, mypy, import-linter, Playwright, pip-audit, ...).
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade $(BUILD_TOOLS)
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(RUNTIME_STAMP) $@

# Telegram (long polling) when a bot token is configured, else a chat in this terminal.
run: install
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=.' .env; then \
		$(BIN)/gratibot telegram; \
	else \
		echo "TELEGRAM_BOT_TOKEN is not set: starting the local chat (Ctrl-D to quit)."; \
		$(BIN)/gratibot chat; \
	fi

# Style, types and the architecture contracts (pyproject.toml [tool.importlinter]).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Lint, then the tests against a real Redis (a throwaway one when none answers), on both
# cores. PostgreSQL joins the database suite when TEST_DATABASE_URL is set.
test: lint
	$(BIN)/python tests/with_redis.py $(BIN)/pytest $(PYTEST_ARGS)

# Known vulnerabilities in the installed dependencies, or a line saying why none could be checked.
audit: install-dev
	bash .ci/audit

bench: install-dev
	$(BIN)/python tests/with_redis.py $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .import_linter_cache
