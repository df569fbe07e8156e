"""The claim pipeline: predict (sympy) -> experiment (torch) -> compare (verdict, figure) -> report."""

import contextlib
import glob
import json
import os
import sys
import threading
from pathlib import Path

from snakemake.utils import validate

ROOT = workflow.basedir


configfile: f"{ROOT}/config/config.yaml"


sys.path.insert(0, ROOT)
from theory import deps, registry  # noqa: E402  (sympy only: the DAG is built without importing torch)
from theory.claim import PIPELINE_SCALES  # noqa: E402

# One clear line for the commonest mistake, before the schema's longer report of anything else.
if config.get("scale") not in PIPELINE_SCALES:
    raise ValueError(f"unknown scale {config.get('scale')!r}; valid scales: {', '.join(PIPELINE_SCALES)}")
validate(config, f"{ROOT}/config/schema.yaml")

# Jobs run `python -m <package>` from this checkout with the interpreter running Snakemake (the .venv
# one under `make`): set through the environment rather than interpolated, so moving the checkout
# or the venv does not count as a change of any rule's parameters.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))
os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
SCALE = config["scale"]
ALL_CLAIMS = registry.claim_ids()
_unknown = sorted(set(config["claims"]) - set(ALL_CLAIMS))
if _unknown:
    raise ValueError(f"unknown claim(s) {', '.join(_unknown)} in config 'claims'; valid claims: {', '.join(ALL_CLAIMS)}")
# Each scale keeps its own results (results/smoke/, results/full/): a full run on a GPU leaves the laptop's smoke
# results in place, and the report shows both.  A claim that only a GPU can run is not run at smoke (theory/claim.py).
AT_SCALE = registry.claim_ids_at(SCALE)
_elsewhere = sorted(set(config["claims"]) - set(AT_SCALE))
if _elsewhere:
    raise ValueError(f"claim(s) {', '.join(_elsewhere)} not run at scale {SCALE} (GPU-only claims run at full)")
CLAIMS = config["claims"] or AT_SCALE
R = f"results/{SCALE}"
LOGS = f"logs/{SCALE}"
# {family: {parameter: value}}: a discrete setting changed for the robustness runs (make robustness), e.g. the prime.
SETTINGS = {fam: {k: registry.setting_value(v) for k, v in changes.items()} for fam, changes in config["settings"].items()}
registry.check_settings(SETTINGS, SCALE)
SETTINGS_JSON = json.dumps(SETTINGS, sort_keys=True)


# ---- Snakemake's scheduling loop: one pending re-evaluation ----------------------------------------------------------
# Snakemake 9.27 ends every pass of its scheduling loop by starting a timer that runs the loop again a second later
# (the job-rate limiter, on by default at 100 jobs a second), the passes those timers start included: after k finished
# jobs about k passes a second, each checking the existence and size of every ready job's inputs (snakemake/snakemake
# pull request #3744).  On the 178 predict and compare jobs alone that was 3943 passes and 330 000 file checks, the
# main process using 106 s of CPU for 71 s of work.  One pending timer is all the rate limiter needs.
def _one_pending_reevaluation():
    from snakemake.scheduling import job_scheduler

    cls = job_scheduler.JobScheduler
    if not hasattr(cls, "_schedule_reevalutation") or getattr(cls, "_one_pending_reevaluation", False):
        return  # another Snakemake: leave it as it is
    lock = threading.Lock()

    def schedule_reevaluation(self, delay):
        with lock:
            if getattr(self, "_reevaluation_pending", False):
                return
            self._reevaluation_pending = True

        def fire():
            with lock:
                self._reevaluation_pending = False
            self._open_jobs.release()

        timer = threading.Timer(delay, fire)
        timer.daemon = True
        timer.start()

    cls._schedule_reevalutation = schedule_reevaluation
    cls._one_pending_reevaluation = True


_one_pending_reevaluation()


wildcard_constraints:
    claim="|".join(ALL_CLAIMS),
    run=r"[A-Za-z0-9_.\-]+",


# Inputs are the project files each step's code imports, found by a static scan (theory/deps.py), so that an edit
# re-runs exactly the claims that use the edited file: the claim file and its theory modules for a prediction, the
# experiment module and its helpers for a measurement, the comparison kinds for a verdict.
def rooted(paths):
    return [f"{ROOT}/{p}" for p in paths]


def claim_sources(w):
    return rooted(registry.claim_sources(w.claim))


def experiment_sources(w):
    return rooted(registry.experiment_sources(w.claim))


def analysis_sources(w):
    return rooted(registry.analysis_sources(w.claim))


def report_sources():
    return rooted(deps.relative(deps.closure(Path(ROOT) / "reports" / "build.py"))) + [
        *glob.glob(f"{ROOT}/reports/templates/*"), *glob.glob(f"{ROOT}/reports/assets/*")]


def spec_text(w):
    # The whole spec is a param: any change of it (scale, seed, device, the claim's parameters) re-runs the run, and
    # nothing else does, so an edit of a claim's prediction or prose never repeats its experiments.
    return json.dumps(registry.spec(w.claim, w.run, SCALE, config["base_seed"], config["device"], SETTINGS), sort_keys=True)


def scale_of(claim):
    return registry.scale_of(claim, SCALE)


# Longest first: an experiment's priority is the seconds its run took at the last measurement (config/run_seconds.yaml,
# written by benchmarks/pipeline_profile.py --write-seconds), so that the long runs start first and the run does not
# end with one long job alone on one core (the adding problem's LSTM, 102 s, once started last and ran alone for 87 s).
# Only the order of the jobs depends on it.
def _run_seconds():
    import yaml

    path = Path(ROOT) / "config" / "run_seconds.yaml"
    table = (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}
    return {str(k): float(v) for k, v in (table.get(SCALE) or {}).items()}


RUN_SECONDS = _run_seconds()


# A run with the same experiment, parameters and seeds as an earlier claim's (a control scoring its claim's data) reads
# that claim's measurement rather than repeating it (registry.run_source).
def metrics_path(claim, run):
    owner, owner_run = registry.run_source(claim, run, SCALE, SETTINGS)
    return f"{R}/{owner}/runs/{owner_run}/metrics.npz"


def metrics_of(w):
    return [metrics_path(w.claim, r) for r in registry.run_ids(w.claim, SCALE)]


def metrics_args(w):
    return " ".join(f"{r}={metrics_path(w.claim, r)}" for r in registry.run_ids(w.claim, SCALE))


# On a cluster (an executor plugin such as slurm) only the experiments are submitted as jobs: the symbolic and
# analysis steps take seconds and would mostly wait in the queue.
localrules:
    all,
    verdicts,
    predict,
    compare,
    report,


# ---- the experiments' fork server (experiments/lib/forkserver.py) ---------------------------------------------------
# Each experiment job is a `python -m experiments` process that spends about 2 s importing torch before its work, a
# hundred times at smoke.  When the jobs run on this machine, one server process does the imports once and every
# single-threaded job runs in a fork of it (the command hands over its arguments and standard streams, forwards
# signals, and runs by itself when no server answers: on a cluster node, or before the server is ready).  It is
# started with one BLAS and OpenMP thread, what Snakemake gives a one-thread job.
_FORK_SERVER = {}


def _start_fork_server():
    import subprocess
    import tempfile

    wanted = [j for j in workflow.dag.needrun_jobs() if j.rule.name == "experiment"]
    if not (workflow.is_main_process and workflow.local_exec) or len(wanted) < 4:
        return  # a few jobs do not repay the server's own start-up
    folder = tempfile.mkdtemp(prefix="experiments-")
    path = os.path.join(folder, "server.sock")
    env = {**os.environ, **{v: "1" for v in ("OMP_NUM_THREADS", "GOTO_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                  "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")}}
    Path(LOGS).mkdir(parents=True, exist_ok=True)
    with open(f"{LOGS}/forkserver.log", "w") as log_file:
        proc = subprocess.Popen([sys.executable, "-m", "experiments.lib.forkserver", path, "--parent", str(os.getpid())],
                                env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file)
    os.environ["EXPERIMENTS_SERVER"] = path
    _FORK_SERVER.update(proc=proc, folder=folder)


def _stop_fork_server():
    import shutil
    import subprocess

    proc = _FORK_SERVER.pop("proc", None)
    os.environ.pop("EXPERIMENTS_SERVER", None)
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(_FORK_SERVER.pop("folder"), ignore_errors=True)


onstart:
    _start_fork_server()


onsuccess:
    _stop_fork_server()


onerror:
    _stop_fork_server()


rule all:
    input:
        "results/report.html",
        "results/report.pdf",
        "results/summary.csv",


# Every claim's verdict without the report: what the robustness runs need (make robustness).
rule verdicts:
    input:
        expand(f"{R}/{{claim}}/verdict.json", claim=CLAIMS),


# The symbolic and analysis steps run inside this Snakemake process, one at a time (the profiles set force-use-threads):
# as separate processes each paid 1-4 s of interpreter start-up and imports (sympy, scipy, matplotlib, seaborn) for
# about a second of work, 150 jobs of it.  The lock keeps sympy's caches and matplotlib's pyplot state to one thread;
# the steps are pure Python, which the interpreter's lock would serialise anyway.  Without force-use-threads Snakemake
# runs each in a subprocess of its own, with the same result.  Each takes one unit of the resource in_process, of which
# the profiles allow one: two of them scheduled together took both cores while one waited on the lock (42 s of a
# 708 s smoke run with a core idle).
_IN_PROCESS = threading.Lock()


@contextlib.contextmanager
def in_process(log_path):
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    with _IN_PROCESS, open(log_path, "w") as log_file, contextlib.redirect_stderr(log_file):
        yield


rule predict:
    input:
        claim_sources,
    output:
        f"{R}/{{claim}}/prediction.json",
    params:
        scale=SCALE,
        settings=SETTINGS_JSON,
    resources:
        in_process=1,
    log:
        f"{LOGS}/{{claim}}/predict.log",
    run:
        from theory.__main__ import main as theory_main

        with in_process(log[0]):
            status = theory_main(["predict", wildcards.claim, "--scale", params.scale, "--settings", params.settings,
                                  "--out", output[0]])
        if status != 0:
            raise RuntimeError(f"the prediction of {wildcards.claim} failed: see {log[0]}")


rule experiment:
    input:
        experiment_sources,
    output:
        spec=f"{R}/{{claim}}/runs/{{run}}/spec.json",
        metrics=f"{R}/{{claim}}/runs/{{run}}/metrics.npz",
    params:
        spec=spec_text,
    threads: lambda w: scale_of(w.claim).threads
    priority: lambda w: RUN_SECONDS.get(f"{w.claim}/{w.run}", 0)
    resources:
        gpu=lambda w: int(scale_of(w.claim).gpu and config["device"] != "cpu"),
        runtime=lambda w: scale_of(w.claim).runtime_min,
        mem_mb=lambda w: scale_of(w.claim).mem_mb,
    log:
        f"{LOGS}/{{claim}}/{{run}}/experiment.log",
    shell:
        "python -m experiments --spec-json {params.spec:q} --write-spec {output.spec:q} --out {output.metrics:q}"
        " --threads {threads} 2> {log:q}"


rule compare:
    input:
        analysis_sources,
        prediction=f"{R}/{{claim}}/prediction.json",
        metrics=metrics_of,
    output:
        verdict=f"{R}/{{claim}}/verdict.json",
        figure=report(f"{R}/{{claim}}/figure.svg", category="{claim}"),
    params:
        metrics=metrics_args,
        seed=config["base_seed"],
    resources:
        in_process=1,
    log:
        f"{LOGS}/{{claim}}/compare.log",
    run:
        from analysis.compare import main as compare_main

        with in_process(log[0]):
            compare_main(["--prediction", input.prediction, "--metrics", *params.metrics.split(),
                          "--verdict", output.verdict, "--figure", output.figure, "--base-seed", str(params.seed)])


rule report:
    input:
        verdicts=expand(f"{R}/{{claim}}/verdict.json", claim=CLAIMS),
        figures=expand(f"{R}/{{claim}}/figure.svg", claim=CLAIMS),
        code=report_sources(),
        # the robustness table, when make robustness has written one: the report shows it
        robustness=glob.glob("results/robustness.csv"),
        # the other scale's verdicts, when that scale was run: the report shows both estimates side by side
        other=[p for s in PIPELINE_SCALES if s != SCALE for p in glob.glob(f"results/{s}/*/verdict.json")],
    output:
        html="results/report.html",
        pdf="results/report.pdf",
        csv="results/summary.csv",
    params:
        # the report is of the scale run last: switching scales rebuilds it
        scale=SCALE,
    log:
        "logs/report.log",
    shell:
        "python -m reports.build --results results --scale {params.scale} --out-html {output.html:q}"
        " --out-pdf {output.pdf:q} --out-csv {output.csv:q} 2> {log:q}"
