# Order Helper: the two set-up commands of README.md are `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test install system-packages translations i18n lint serve bench

$(BIN)/flask: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/flask

install: $(BIN)/flask system-packages translations

# Debian's libzbar0 (pyzbar) and chromium (browser tests), when missing and apt is usable.
system-packages:
	@scripts/system-packages.sh

translations: $(BIN)/flask
	@$(BIN)/pybabel -q compile -d translations

# After adding or changing a user-visible string: extract, merge into each catalogue, compile.
i18n: $(BIN)/flask
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot \
		--ignore-dirs='.* ._ .venv migrations tests bench node_modules' .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d translations

demo: install
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app seed-demo
	@echo ""
	@echo "Order Helper runs at http://127.0.0.1:5000/  (phones on the same network: http://$$(hostname -I | awk '{print $$1}'):5000/)"
	@echo "Demo logins (password: demo): admin sales planner warehouse leader qc service cs vp"
	DELIVERY_WORKER=thread $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# Every benchmark in bench/ (bench/run_all.py); the tables go into bench/README.md with the machine and
# date. Full sizes take tens of minutes; `make bench QUICK=1` about 15 (stock moves stay full size).
bench: $(BIN)/flask
	$(BIN)/python -m bench.run_all $(if $(QUICK),--quick)
