"""A fork server for experiment jobs: one process pays for the interpreter, torch and the experiments' imports once, and every single-threaded job the pipeline starts is a fork of it (about 2 s of start-up saved per job, a hundred jobs at smoke).

The client is `python -m experiments` itself: when the environment names a server (``EXPERIMENTS_SERVER``, the path
of a Unix socket) and it answers, the command hands its arguments, its working directory, its environment and its
three standard streams (the file descriptors themselves, so the shell's ``2> log`` holds) to the server, which forks a
child that runs the job exactly as the command would have; the client forwards SIGTERM, SIGINT and SIGHUP to that
child and exits with its status.  Anything else (no server, a server that does not answer, a job of several threads,
whose BLAS pools are sized at import) runs in the command's own process, as before: the server only ever saves time.

The server never touches CUDA (a process that has initialised it cannot fork usable children) and runs one thread,
so that no lock is held by another thread at a fork.  It stops when the process that started it goes away, and a
child whose client went away (killed by SIGKILL, say) is sent SIGTERM, as the job it stands for would have been.
"""

from __future__ import annotations

import array
import json
import os
import selectors
import signal
import socket
import sys
import time

ENV = "EXPERIMENTS_SERVER"
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_MAX_REQUEST = 1 << 20  # a full-scale spec is a few hundred KB of JSON


# ---- client ----------------------------------------------------------------------------------------------------------
def _threads_of(argv: list[str]) -> int:
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return int(argv[i + 1])
        if arg.startswith("--threads="):
            return int(arg.split("=", 1)[1])
    return 1


def delegate(argv: list[str]) -> int | None:
    """Run the command line ``argv`` (without the program name) in a fork of the server; its exit status, or None
    when there is no server to run it (the caller then runs it itself)."""
    path = os.environ.get(ENV)
    if not path:
        return None
    try:
        if _threads_of(argv) != 1:
            return None
    except ValueError:
        return None  # a malformed --threads: let the command's own parser say so
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        return None
    request = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    try:
        socket.send_fds(conn, [len(request).to_bytes(8, "big") + request], [0, 1, 2])
        reader = conn.makefile("r")
        started = json.loads(reader.readline())
    except (OSError, ValueError):
        conn.close()
        return None  # the server went away before forking: nothing ran, so run it here
    child = started["pid"]

    def forward(signum, _frame):
        try:
            os.kill(child, signum)
        except ProcessLookupError:
            pass

    for sig in FORWARDED:
        signal.signal(sig, forward)
    line = reader.readline()  # blocks until the child has ended; interrupted reads are retried (PEP 475)
    conn.close()
    if not line:
        print("experiments: the fork server went away while the job ran", file=sys.stderr)
        return 1
    return int(json.loads(line)["status"])


# ---- server ----------------------------------------------------------------------------------------------------------
def _recv_exactly(conn: socket.socket, size: int, fds_wanted: int = 0) -> tuple[bytes, list[int]]:
    data, fds = b"", []
    while len(data) < size:
        if fds_wanted and not fds:
            chunk, new_fds, _flags, _addr = socket.recv_fds(conn, size - len(data), fds_wanted)
        else:
            chunk, new_fds = conn.recv(size - len(data)), []
        if not chunk:
            raise ConnectionError("the client closed the connection mid-request")
        data += chunk
        fds += new_fds
    return data, fds


def _run_child(request: dict, fds: list[int], keep_closed: list[socket.socket]) -> None:
    """In the forked child: become the job's process (its streams, directory, environment, default signal
    dispositions) and run the command line as `python -m experiments` would; never returns."""
    code = 1
    try:
        for s in keep_closed:
            s.close()
        for sig in FORWARDED + (signal.SIGCHLD,):
            signal.signal(sig, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        # Python's stream objects wrap fds 0-2, which now are the client's: drop anything buffered before the switch.
        sys.stdout.flush()
        sys.stderr.flush()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.pop(ENV, None)
        sys.argv = ["python -m experiments", *request["argv"]]
        print(f"experiments: run in a fork of the fork server {os.getppid()} (no start-up)", file=sys.stderr, flush=True)
        from experiments.lib.runner import main

        code = main(request["argv"])
    except SystemExit as stop:  # argparse's exit on bad arguments
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001 - report anything on the job's own stderr, as the command would
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != 1


def serve(path: str, parent: int) -> None:
    """Listen on the Unix socket ``path`` until the process ``parent`` exits or SIGTERM arrives; fork a child per
    request."""
    # The imports every job pays for, done once.  Importing torch does not initialise CUDA.
    import numpy  # noqa: F401
    import torch  # noqa: F401

    import jsonschema  # noqa: F401  (the runner validates every spec)

    import experiments.lib.runner as runner

    for name in runner.experiment_names():
        __import__(f"experiments.{name}")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = f"{path}.{os.getpid()}"
    listener.bind(tmp)
    listener.listen(64)
    os.replace(tmp, path)  # clients see the socket only once it accepts: none waits on a server still importing
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ)
    children: dict[int, socket.socket] = {}
    try:
        while not stopping:
            for key, _ in sel.select(timeout=0.5):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    try:
                        header, fds = _recv_exactly(conn, 8, fds_wanted=3)
                        body, more = _recv_exactly(conn, int.from_bytes(header, "big"))
                        fds += more
                        if len(fds) != 3 or len(body) > _MAX_REQUEST:
                            raise ValueError("a request is a JSON body and the client's three standard streams")
                        request = json.loads(body)
                    except (OSError, ValueError) as exc:
                        print(f"fork server: bad request: {exc}", file=sys.stderr)
                        conn.close()
                        continue
                    pid = os.fork()
                    if pid == 0:
                        _run_child(request, fds, [listener, *children.values(), conn])
                    for fd in fds:
                        os.close(fd)
                    conn.sendall((json.dumps({"pid": pid}) + "\n").encode())
                    children[pid] = conn
                    sel.register(conn, selectors.EVENT_READ, pid)
                else:  # a client's connection is readable only when it closed: its job goes too
                    conn, pid = key.fileobj, key.data
                    if not conn.recv(1):
                        sel.unregister(conn)
                        _signal(pid, signal.SIGTERM)
            _reap(children, sel)
            if not _alive(parent):
                break
    finally:
        for pid in list(children):
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while children and time.monotonic() < deadline:
            _reap(children, sel)
            time.sleep(0.05)
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _reap(children: dict[int, socket.socket], sel: selectors.BaseSelector) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is None:
            continue
        code = os.waitstatus_to_exitcode(status)
        code = 128 - code if code < 0 else code  # killed by a signal: the shell's convention
        try:
            conn.sendall((json.dumps({"status": code}) + "\n").encode())
        except OSError:
            pass
        try:
            sel.unregister(conn)
        except (KeyError, ValueError):
            pass
        conn.close()


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m experiments.lib.forkserver", description=__doc__.split("\n")[0])
    p.add_argument("socket", help="the Unix socket to listen on (clients find it in $EXPERIMENTS_SERVER)")
    p.add_argument("--parent", type=int, help="stop when this process exits (default: the one that started the server)")
    a = p.parse_args(argv)
    # the parent is read before the imports: a parent that has gone by then must not leave the server running
    serve(a.socket, os.getppid() if a.parent is None else a.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
