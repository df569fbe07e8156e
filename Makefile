# The two commands a newcomer needs: `make report` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SCALE  ?= smoke
CORES  ?= all

.PHONY: report test lint dryrun clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

report: $(VENV)/.runtime
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/snakemake --cores $(CORES) --config scale=$(SCALE)
	@echo "report: results/report.html results/report.pdf results/summary.csv"

test: $(VENV)/.test
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest

lint: $(VENV)/.runtime
	$(BIN)/snakemake --lint

dryrun: $(VENV)/.runtime
	$(BIN)/snakemake -n --config scale=$(SCALE)

clean:
	rm -rf results logs .snakemake
