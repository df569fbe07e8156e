# The two commands a newcomer needs: `make report` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SCALE  ?= smoke
CORES  ?= all

.PHONY: report robustness test test-slurm slurm lint dryrun clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip byte-compiles what it installs on one core (40 s of an 80 s install); compileall -j 0 does it on every core.
# Compiled it must be: where PYTHONDONTWRITEBYTECODE is set nothing imported is ever cached otherwise.  The packages'
# own test folders (3000 of 11000 files) are never imported and are left out; as pip does, a file that does not compile
# is skipped (torch ships one in Python 3.12 syntax, never imported on 3.11).  torch, a third of the install, is unpacked
# by a pip of its own and compiled while a second pip installs the rest (pip works on one core: 72 s -> 49-54 s on two);
# a last pass installs torch's own dependencies and checks every version.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	grep -E '^torch==' requirements.txt > $(VENV)/torch.txt || true
	grep -vE '^torch==' requirements.txt > $(VENV)/rest.txt
	( if [ -s $(VENV)/torch.txt ]; then $(BIN)/pip install --quiet --no-compile --no-deps -r $(VENV)/torch.txt && \
	  { $(BIN)/python -m compileall -q -x '/tests?/' $(VENV)/lib/python*/site-packages/torch > /dev/null || true; }; fi ) & \
	torch=$$!; $(BIN)/pip install --quiet --no-compile -r $(VENV)/rest.txt; rest=$$?; wait $$torch && test $$rest = 0
	$(BIN)/pip install --quiet --no-compile -r requirements.txt
	$(BIN)/python -m compileall -q -j 0 -x '/tests?/' $(VENV)/lib > /dev/null || true
	touch $@

# requirements-test.txt includes requirements.txt: on top of the runtime, only the test tools are new.
$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet --no-compile -r requirements-test.txt
	$(BIN)/python -m compileall -q -j 0 -x '/tests?/' $(VENV)/lib > /dev/null || true
	touch $@

report: $(VENV)/.runtime
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/snakemake --cores $(CORES) --config scale=$(SCALE)
	@echo "report: results/report.html results/report.pdf results/summary.csv"

# The smoke suite again at the base seeds and settings of config/robustness.yaml (each in robustness/<variant>/), the
# outcome table in results/robustness.csv, and the report rebuilt with it: robust when no claim changes its outcome.
robustness: report
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m analysis.robustness --cores $(CORES)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/snakemake --cores $(CORES) --config scale=smoke
	-PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m analysis.audit results/smoke
	@echo "robustness: results/robustness.csv, in results/report.html and results/report.pdf"

# The tests spread over the machine's cores (pytest-xdist): 2 cores halve the suite's 3 minutes of CPU.
test: $(VENV)/.test
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n auto --dist loadgroup

# The Slurm executor on a real one-node Slurm started by the test (tests/test_slurm.py); Debian's daemons are
# installed first when missing and this runs as root, as on CI.
SLURM_PACKAGES := slurmctld slurmd slurm-client munge
test-slurm: $(VENV)/.test
	@if ! command -v sbatch >/dev/null 2>&1 || [ ! -x /usr/sbin/slurmctld ] || [ ! -x /usr/sbin/munged ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $(SLURM_PACKAGES)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q --no-install-recommends $(SLURM_PACKAGES) >/dev/null 2>&1 || \
	      { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $(SLURM_PACKAGES) >/dev/null; }; \
	  else echo "test-slurm needs $(SLURM_PACKAGES) (apt-get install, as root)"; exit 1; fi; fi
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -m slurm

# Every experiment as its own Slurm job (profiles/slurm; README "Running on a cluster"), e.g. make slurm SCALE=full
slurm: $(VENV)/.runtime
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/snakemake --profile profiles/slurm --config scale=$(SCALE)

lint: $(VENV)/.runtime
	$(BIN)/snakemake --lint

dryrun: $(VENV)/.runtime
	$(BIN)/snakemake -n --config scale=$(SCALE)

clean:
	rm -rf results logs .snakemake robustness
