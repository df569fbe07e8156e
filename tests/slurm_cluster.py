"""A real one-node Slurm (munged, slurmctld, slurmd from Debian's packages) started by hand, its state in a scratch directory and its configuration in /etc/slurm, with fake GPUs declared through gres.conf, for the Slurm executor test; every daemon is stopped by PID and the configuration removed."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import time
from pathlib import Path

MARKER = "# one-node test cluster written by tests/slurm_cluster.py; removed when it stops"
# Slurm's compiled-in configuration directory.  A scratch directory would do for the daemons and for sbatch/squeue
# (SLURM_CONF), but the Slurm executor's job step strips SLURM_* variables before its nested srun, which then only
# finds the default path, as on a real cluster.
CONF_DIR = Path("/etc/slurm")
DAEMONS = ("munged", "slurmctld", "slurmd", "sinfo", "sbatch", "squeue", "scontrol")
MISSING_HINT = ("the Slurm test needs Debian's slurmctld, slurmd, slurm-client and munge: "
                "apt-get install slurmctld slurmd slurm-client munge (or `make test-slurm`, which installs them as root)")


def missing_programs() -> list[str]:
    return [p for p in DAEMONS if shutil.which(p) is None and not Path("/usr/sbin", p).exists()]


def _program(name: str) -> str:
    return shutil.which(name) or str(Path("/usr/sbin", name))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OneNodeSlurm:
    """Start with ``with OneNodeSlurm(path, cpus=2, gpus=2) as cluster:``; ``cluster.env`` is what a client needs
    (SLURM_CONF).  Jobs run as the calling user (root on CI machines), on this host, in partition ``debug``."""

    def __init__(self, root: Path, cpus: int | None = None, mem_mb: int | None = None, gpus: int = 2):
        self.root = Path(root)
        self.cpus = cpus or os.cpu_count() or 1
        self.mem_mb = mem_mb or int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20 * 0.8)
        self.gpus = gpus
        self.host = socket.gethostname().split(".")[0]
        self.procs: list[subprocess.Popen] = []
        self.written: list[Path] = []
        self.conf = CONF_DIR / "slurm.conf"
        self.env = {**os.environ, "SLURM_CONF": str(self.conf)}

    # ---- set-up ----
    def _write_config(self) -> None:
        r = self.root
        for d in ("state", "spool", "log", "munge", "dev"):
            (r / d).mkdir(parents=True, exist_ok=True)
        os.chmod(r, 0o711)
        os.chmod(r / "munge", 0o711)  # munged wants its socket directory traversable by every client
        key = r / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        os.chmod(key, 0o400)
        # Fake GPUs: slurmd wants character devices for gres files; null devices (major 1, minor 3) stand in, and with
        # no cgroup device constraint that is all Slurm checks.
        for i in range(self.gpus):
            dev = r / "dev" / f"nvidia{i}"
            if not dev.exists():
                os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        for f in (self.conf, CONF_DIR / "gres.conf"):
            if f.exists() and MARKER not in f.read_text(errors="replace"):
                raise RuntimeError(f"{f} exists and is not the test's: this machine has a Slurm of its own; "
                                   "run the Slurm test on a machine without one")
        CONF_DIR.mkdir(parents=True, exist_ok=True)
        self.written = [self.conf]
        user = os.environ.get("USER") or subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
        gres = f" Gres=gpu:{self.gpus}" if self.gpus else ""
        self.conf.write_text(f"""\
{MARKER}
ClusterName=ci
SlurmctldHost={self.host}(127.0.0.1)
SlurmctldPort={_free_port()}
SlurmdPort={_free_port()}
SlurmUser={user}
SlurmdUser={user}
AuthType=auth/munge
AuthInfo=socket={r / 'munge' / 'munge.socket'}
CredType=cred/munge
StateSaveLocation={r / 'state'}
SlurmdSpoolDir={r / 'spool'}
SlurmctldPidFile={r / 'slurmctld.pid'}
SlurmdPidFile={r / 'slurmd.pid'}
SlurmctldLogFile={r / 'log' / 'slurmctld.log'}
SlurmdLogFile={r / 'log' / 'slurmd.log'}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
# No accounting database: a finished job is only visible to squeue while it is younger than MinJobAge.
MinJobAge=300
SlurmdTimeout=60
GresTypes=gpu
NodeName={self.host} NodeAddr=127.0.0.1 CPUs={self.cpus} RealMemory={self.mem_mb}{gres} State=UNKNOWN
PartitionName=debug Nodes={self.host} Default=YES MaxTime=INFINITE State=UP
""")
        if self.gpus:
            (CONF_DIR / "gres.conf").write_text(
                f"{MARKER}\nNodeName={self.host} Name=gpu File={r / 'dev'}/nvidia[0-{self.gpus - 1}]\n")
            self.written.append(CONF_DIR / "gres.conf")

    def _spawn(self, *cmd: str) -> subprocess.Popen:
        log = open(self.root / "log" / f"{Path(cmd[0]).name}.out", "ab")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start(self, timeout: float = 60) -> "OneNodeSlurm":
        missing = missing_programs()
        if missing:
            raise RuntimeError(f"{', '.join(missing)} not found; " + MISSING_HINT)
        self._write_config()
        m = self.root / "munge"
        self._spawn(_program("munged"), "--foreground", "--force", f"--socket={m / 'munge.socket'}",
                    f"--key-file={m / 'munge.key'}", f"--pid-file={m / 'munged.pid'}", f"--log-file={m / 'munged.log'}",
                    f"--seed-file={m / 'munged.seed'}")
        self._wait(lambda: (m / "munge.socket").exists(), timeout, "munged did not create its socket")
        self._spawn(_program("slurmctld"), "-D", "-i", "-f", str(self.conf))
        self._spawn(_program("slurmd"), "-D", "-f", str(self.conf), "-N", self.host)
        self._wait(self._node_idle, timeout, "the node did not become idle")
        return self

    def _node_idle(self) -> bool:
        for p in self.procs:
            if p.poll() is not None:
                raise RuntimeError(f"{p.args[0]} exited with {p.returncode}; see {self.root / 'log'}:\n" + self.logs())
        r = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, env=self.env)
        return r.returncode == 0 and r.stdout.strip() in ("idle", "mixed")

    def _wait(self, ready, timeout: float, what: str) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if ready():
                return
            time.sleep(0.25)
        raise TimeoutError(f"{what} within {timeout:.0f} s; logs:\n" + self.logs())

    def logs(self, tail: int = 30) -> str:
        out = []
        for f in sorted((self.root / "log").glob("*")) + [self.root / "munge" / "munged.log"]:
            if f.exists():
                out.append(f"--- {f.name}\n" + "\n".join(f.read_text(errors="replace").splitlines()[-tail:]))
        return "\n".join(out)

    # ---- tear-down ----
    def stop(self) -> None:
        """SIGTERM every daemon this object started, by PID, then SIGKILL what is left after 10 s."""
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        end = time.monotonic() + 10
        for p in reversed(self.procs):
            try:
                p.wait(timeout=max(end - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=5)
        self.procs.clear()
        for f in self.written:
            f.unlink(missing_ok=True)
        self.written.clear()

    def __enter__(self) -> "OneNodeSlurm":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
