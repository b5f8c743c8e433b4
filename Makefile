# gratibot: `make run` starts the bot, `make test` runs every check. Both install first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test lint bench clean

install: $(STAMP)

# Reinstalls only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# Telegram (long polling) when a bot token is configured, else a chat in this terminal.
run: install
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=.' .env; then \
		$(BIN)/gratibot telegram; \
	else \
		echo "TELEGRAM_BOT_TOKEN is not set: starting the local chat (Ctrl-D to quit)."; \
		$(BIN)/gratibot chat; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Lint, types, then the tests against a real Redis (a throwaway one when none answers).
# PostgreSQL joins the database suite when TEST_DATABASE_URL is set.
test: lint
	$(BIN)/python tests/with_redis.py $(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python tests/with_redis.py $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
