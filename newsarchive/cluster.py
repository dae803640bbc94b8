"""Where the build's heavy tasks run: in this process, a local Dask cluster, or a remote one.

The build runner opens one :class:`ClusterSession` per build.  Plugins never
import it: they ask on the blinker signal :data:`CLUSTER` for a runner,
naming how many items they have (``CLUSTER.send(sender, items=n)``), and get a
:class:`TaskRunner` (or nothing, outside a build).  The session decides:

- a scheduler address (``--scheduler`` or ``ARCHIVE_SCHEDULER``): that cluster,
  for any amount of work (the user asked for it); ``local`` asks for a local
  cluster and ``in-process`` for none, whatever the amount of work;
- else, enough work to pay for starting one (:data:`MIN_LOCAL_ITEMS`) on a
  machine with more than one core: a ``LocalCluster`` of worker processes, one
  per core, started on the first such request and shared by every phase;
- else the tasks run here, one after the other, with no Dask import at all, so
  small archives and ``make serve``'s first build pay nothing.

Tasks are pure functions of their inputs (paths or bytes in, small records
out).  Nothing assumes a worker shares this process's memory; the code of
``newsarchive`` and the plugins is shipped to the workers with each session
(a zip named by its digest), so a worker needs only the same Python packages
and the seed and output paths the tasks are given.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import socket
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import blinker

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
#: Environment variable naming a Dask scheduler (``tcp://host:8786``) to build on.
SCHEDULER_ENV = "ARCHIVE_SCHEDULER"
#: Scheduler names that are not addresses: always a local cluster, never a cluster.
LOCAL, IN_PROCESS = "local", "in-process"
#: ``CLUSTER.send(sender, items=n)`` -> [(receiver, TaskRunner | None)]: plugins ask here.
CLUSTER = blinker.signal("archive.cluster")
#: Below this many items of work a local cluster costs more to start than it saves.
MIN_LOCAL_ITEMS = 5000
#: Packages shipped to the workers (their code is what the tasks run).
CODE_FOLDERS = ("newsarchive", "plugins")
#: Dask's own warnings (a slow event loop, a busy port) are not the build's warnings.
DASK_LOGGERS = ("distributed", "dask", "tornado")
#: Seconds to wait for a named scheduler to answer before the build gives up on it.
CONNECT_TIMEOUT = 10
#: Address schemes of a scheduler reached over TCP (Dask's default is ``tcp``).
TCP_SCHEMES = ("tcp", "tls", "ws", "wss")


#: Dask's monitoring for the local cluster.  Its nannies and scheduler live in the build
#: process: by default each polls its worker's memory every 100 ms and every server
#: samples the machine every 500 ms (psutil, host-wide disk counters), 4% of the build
#: process's samples in a one-seed-added build at 100,000 articles, on a machine whose
#: cores the workers need.  Once a second still catches a worker's memory running away
#: (Dask's limits act on it); no dashboard runs to show the samples.
LOCAL_MONITORING = {
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.disk": False,
}


class ClusterError(Exception):
    """The scheduler asked for cannot be used (a bad address, nothing there): a configuration error."""


def scheduler_host_port(address: str) -> tuple[str, int]:
    """Host and port of a scheduler address (``tcp://HOST:PORT``, or ``HOST:PORT``).

    Raises :class:`ClusterError` for anything else, naming the address.
    """
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    expected = f"expected tcp://HOST:PORT, or {LOCAL!r} or {IN_PROCESS!r}"
    if scheme not in TCP_SCHEMES:
        raise ClusterError(f"{address!r} is not a Dask scheduler address: {expected}")
    try:
        parts = urlsplit(f"//{rest}")
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or port is None or parts.path or parts.query or parts.fragment:
        raise ClusterError(f"{address!r} is not a Dask scheduler address: {expected}")
    return host, port


def check_scheduler(address: str, timeout: float | None = None) -> None:
    """Raise :class:`ClusterError` unless a Dask scheduler answers at ``address``.

    Checked when a build starts, before anything is read: a wrong or unreachable
    scheduler is a configuration error, said at once, not a failure half-way
    through the build.  A Dask scheduler greets a ``tcp://`` connection first
    (its handshake); a port that accepts and stays silent would hang Dask's
    client, which waits for that greeting without a timeout.
    """
    host, port = scheduler_host_port(address)
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    problem = f"could not reach the Dask scheduler at {address}"
    try:
        connection = socket.create_connection((host, port), timeout=timeout)
    except TimeoutError:
        raise ClusterError(f"{problem}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise ClusterError(f"{problem}: {exc.strerror or exc}") from None
    with connection:
        if not address.startswith("tcp://") and "://" in address:
            return  # TLS and websockets speak only once the client has
        try:
            greeting = connection.recv(1)
        except TimeoutError:
            raise ClusterError(
                f"{problem}: something listens there, but no Dask scheduler answered"
                f" within {timeout:g} s"
            ) from None
        except OSError as exc:
            raise ClusterError(f"{problem}: {exc.strerror or exc}") from None
    if not greeting:
        raise ClusterError(f"{problem}: the connection was closed without an answer")


def default_workers() -> int:
    """One worker per core the process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def scheduler_from(option: str | None) -> str | None:
    """The scheduler address: the option, else ``ARCHIVE_SCHEDULER``, else None (no cluster named)."""
    address = (option or os.environ.get(SCHEDULER_ENV) or "").strip()
    return address or None


def task_wrapper(
    code_file: str | None, packages: tuple[str, ...]
) -> Callable[..., tuple[str, Any]]:
    """The function every task runs on a worker: our code on ``sys.path``, then the task.

    A closure, so Dask sends it by value (cloudpickle): a worker needs no copy
    of our code to run it.  It puts the shipped zip first on ``sys.path``
    (forgetting modules a long-lived worker imported from an older zip), then
    imports the task's function by name and unpickles its arguments, so both
    come from this build's code.  The arguments travel as one pickled blob:
    Dask neither walks them looking for futures nor needs our classes to
    route them.
    """

    def run_task(
        reference: str, blob: bytes, shared_keys: tuple[str, ...] = (), *shared_blobs: bytes
    ) -> tuple[str, float, Any]:
        import importlib
        import os
        import pickle
        import sys
        import time

        from distributed import get_worker

        worker = get_worker()
        if code_file is not None:
            path = os.path.join(worker.local_directory, code_file)
            if sys.path[:1] != [path]:
                for name in list(sys.modules):
                    if name.split(".", 1)[0] in packages:
                        del sys.modules[name]
                sys.path.insert(0, path)
                importlib.invalidate_caches()
        module, _, qualname = reference.partition(":")
        function = importlib.import_module(module)
        for part in qualname.split("."):
            function = getattr(function, part)
        started = time.perf_counter()
        # Shared values are unpickled once per worker (the last two are kept).
        kept = worker.__dict__.setdefault("_archive_shared", {})
        for key, shared_blob in zip(shared_keys, shared_blobs, strict=True):
            if isinstance(shared_blob, tuple):  # made by a task (``make_shared``): its result
                shared_blob = shared_blob[2]
            if key not in kept:
                while len(kept) >= 2:
                    del kept[next(iter(kept))]
                kept[key] = pickle.loads(shared_blob)
        partition, args = pickle.loads(blob)
        # A ``Shared`` stands for its value (told by name: the class a worker unpickles is
        # this build's, from the shipped zip, not the one this closure was made beside).
        args = tuple(
            kept[arg.key] if type(arg).__name__ == "Shared" and arg.key in shared_keys else arg
            for arg in args
        )
        result = function(partition, *args)
        return worker.address, time.perf_counter() - started, result

    return run_task


def make_shared(part: tuple[Callable[[Any], Any], Any]) -> bytes:
    """A task making a shared value (:meth:`TaskRunner.share_made`): the result, pickled.

    The function arrives pickled by name, so the worker imports it from this
    build's code as it does every task's.  Pickled as :meth:`TaskRunner.share`
    pickles a value it sends, so the tasks that name it unpickle it the same
    way, once per worker.
    """
    function, argument = part
    return pickle.dumps(function(argument), protocol=pickle.HIGHEST_PROTOCOL)


def reference_of(function: Callable[..., Any]) -> str:
    """``module:qualname`` of a module-level function, as :func:`task_wrapper` imports it."""
    if "<locals>" in function.__qualname__ or function.__module__ == "__main__":
        raise ValueError(f"a task must be a module-level function of our code, not {function!r}")
    return f"{function.__module__}:{function.__qualname__}"


class Shared:
    """A value every task of a map needs, sent to each worker once (:meth:`TaskRunner.share`).

    Passed among a task's arguments, it stands for the value: the task's
    function is called with the value itself.  In-process it simply holds it.
    """

    def __init__(self, key: str, value: Any = None) -> None:
        self.key = key
        self.value = value

    def __getstate__(self) -> dict[str, Any]:
        return {"key": self.key, "value": None}  # the value travels once, on its own


class _Done:
    """The handle of a task that ran in-process."""

    def __init__(self, result: Any) -> None:
        self.result = result


class TaskRunner:
    """Runs a pure function over partitions, on a Dask client or in this process."""

    def __init__(
        self,
        client: Any | None,
        workers: int,
        where: str,
        task: Callable[..., tuple[str, float, Any]] | None = None,
    ) -> None:
        self.client = client
        self.task = task
        self.workers = workers
        self.where = where
        #: Tasks run per phase and worker: {"parse": {"tcp://...": 12, ...}}.
        self.tasks: dict[str, Counter[str]] = {}
        #: Per phase: tasks, items, seconds inside tasks, pickled bytes sent to them.
        self.costs: dict[str, Counter[str]] = {}
        #: Shared values scattered to the workers, by key (see :meth:`share`).
        self._shared: dict[str, Any] = {}
        self._shared_bytes: dict[str, int] = {}
        self._counted: set[tuple[str, str]] = set()

    def share(self, value: Any) -> Shared:
        """``value`` made ready to pass to many tasks: pickled once, sent to each worker once.

        A large input that every task of a map reads (a model, an index) would
        otherwise be pickled and sent with each task.
        """
        if self.client is None:
            return Shared("", value)
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        key = hashlib.sha256(blob).hexdigest()[:16]
        if key not in self._shared:
            self._shared[key] = self.client.scatter(blob, broadcast=True, hash=False)
            self._shared_bytes[key] = len(blob)
        return Shared(key)

    def share_made(self, function: Callable[[Any], Any], argument: Any, *, phase: str) -> Shared:
        """Like :meth:`share`, for a value made by a task: ``function(argument)`` on a worker.

        The value stays on the cluster (copied worker to worker to every worker,
        so the tasks that name it run wherever there is room): a model built only
        for a map's tasks never comes to this process.  In-process it is made here.
        """
        costs = self.costs.setdefault(phase, Counter())
        costs["tasks"] += 1
        if self.client is None:
            started = time.perf_counter()
            value = function(argument)
            self.tasks.setdefault(phase, Counter())["in-process"] += 1
            costs["seconds"] += time.perf_counter() - started
            return Shared("", value)
        from distributed import wait

        reference_of(function)  # a module-level function of our code, or a clear error here
        blob = pickle.dumps(((function, argument), ()), pickle.HIGHEST_PROTOCOL)
        costs["bytes_in"] += len(blob)
        key = "made-" + hashlib.sha256(blob).hexdigest()[:16]
        if key not in self._shared:
            # Scattered first: a task's arguments travel in the task graph, which Dask
            # warns of (and slows on) from 10 MB, the documents of ~50,000 articles.
            argument_future = self.client.scatter(blob, hash=False)
            del blob
            future = self.client.submit(
                self.task, reference_of(make_shared), argument_future, pure=False
            )
            wait(future)
            argument_future.release()
            if future.status == "finished":  # else the tasks naming it raise its error
                for worker in self.client.who_has([future]).get(future.key, ())[:1]:
                    self.tasks.setdefault(phase, Counter())[worker] += 1
                costs["made_bytes"] += self.client.nbytes([future.key], summary=False).get(
                    future.key, 0
                )
                self.client.replicate(future)
            self._shared[key] = future
            self._shared_bytes[key] = 0  # it never passes through here
        return Shared(key)

    def forget(self, shared: Shared) -> None:
        """Let the workers drop a shared value no task will name again."""
        future = self._shared.pop(shared.key, None)
        if future is not None:
            future.release()

    def map(
        self,
        function: Callable[..., Any],
        parts: Iterable[Any],
        *args: Any,
        phase: str,
    ) -> Iterator[Any]:
        """``function(part, *args)`` for every part, results in the order they finish.

        ``function`` must be a module-level function of ``newsarchive`` or a
        plugin (the worker imports it by name), ``parts`` sized and picklable,
        ``args`` picklable.  An exception in a task is raised here, as if the
        function had been called here.
        """
        handles = [self.submit(function, part, *args, phase=phase) for part in parts]
        yield from self.results(handles, phase=phase)

    def submit(self, function: Callable[..., Any], part: Any, *args: Any, phase: str) -> Any:
        """Start ``function(part, *args)`` (see :meth:`map`); a handle for :meth:`results`.

        In-process, the task runs now.
        """
        costs = self.costs.setdefault(phase, Counter())
        if self.client is None:
            started = time.perf_counter()
            values = (arg.value if isinstance(arg, Shared) else arg for arg in args)
            result = function(part, *values)
            self.tasks.setdefault(phase, Counter())["in-process"] += 1
            costs.update(tasks=1, items=len(part), seconds=time.perf_counter() - started)
            return _Done(result)
        blob = pickle.dumps((part, args), protocol=pickle.HIGHEST_PROTOCOL)
        keys = tuple(arg.key for arg in args if isinstance(arg, Shared))
        costs.update(tasks=1, items=len(part), bytes_in=len(blob))
        for key in keys:
            if (phase, key) not in self._counted:  # a shared value is counted once per phase
                self._counted.add((phase, key))
                costs["shared_bytes_in"] += self._shared_bytes[key]
        futures = [self._shared[key] for key in keys]
        return self.client.submit(
            self.task, reference_of(function), blob, keys, *futures, pure=False
        )

    def results(self, handles: list[Any], *, phase: str) -> Iterator[Any]:
        """The results of submitted tasks, in the order they finish."""
        if self.client is None:
            for handle in handles:
                yield handle.result
            return
        from distributed import as_completed

        try:
            for future in as_completed(handles):
                yield self._collect(future, phase)
        finally:
            for future in handles:
                future.release()

    def ready(self, handles: Iterable[Any], *, phase: str) -> Iterator[tuple[Any, Any]]:
        """``(handle, result)`` of each task of ``handles`` that has finished (none waited for).

        Collected as they finish, tasks leave the scheduler with their inputs: a
        local cluster's scheduler lives in this process, and kept every render
        task's pages (17 KB each) until the last one was collected.
        """
        for handle in list(handles):
            if self.client is None:
                yield handle, handle.result
            elif handle.done():
                yield handle, self._collect(handle, phase)

    def _collect(self, future: Any, phase: str) -> Any:
        """The result of a finished task (re-raised if it failed), counted; its future released."""
        worker, seconds, result = future.result()
        self.tasks.setdefault(phase, Counter())[worker] += 1
        self.costs.setdefault(phase, Counter())["seconds"] += seconds
        future.release()
        return result

    def summary(self) -> dict[str, Any]:
        """What the build report says of where tasks ran."""
        return {
            "where": self.where,
            "workers": self.workers,
            "tasks": {phase: dict(sorted(counts.items())) for phase, counts in self.tasks.items()},
            "costs": {
                phase: {name: round(value, 3) for name, value in sorted(costs.items())}
                for phase, costs in self.costs.items()
            },
        }


class ClusterSession:
    """The task runner of one build, started when first asked for (see the module docstring)."""

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        min_local_items: int | None = None,
        local_workers: int | None = None,
    ) -> None:
        self.scheduler = scheduler_from(scheduler)
        #: Named in errors when the address came from the environment, not the command line.
        self._from_env = f" (from ${SCHEDULER_ENV})" if self.scheduler and not scheduler else ""
        self.min_local_items = MIN_LOCAL_ITEMS if min_local_items is None else min_local_items
        self.local_workers = local_workers or default_workers()
        self.runner: TaskRunner | None = None
        self.in_process = TaskRunner(None, 1, "in-process")
        self.startup_seconds = 0.0
        self._cluster: Any = None
        self._saved_levels: dict[str, int] = {}

    def __enter__(self) -> ClusterSession:
        """Start answering :data:`CLUSTER`; a named scheduler must answer first (:class:`ClusterError`)."""
        if self.scheduler not in (None, LOCAL, IN_PROCESS):
            try:
                check_scheduler(self.scheduler)
            except ClusterError as exc:
                raise ClusterError(f"{exc}{self._from_env}") from None
        CLUSTER.connect(self.answer)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        CLUSTER.disconnect(self.answer)
        self.close()
        logger.info(
            "Tasks ran %s",
            self.where,
            extra={"report_section": "cluster", "report_data": self.summary()},
        )

    @property
    def where(self) -> str:
        """Where the tasks ran: in-process, a local cluster, or the scheduler's address."""
        return (self.runner or self.in_process).where

    def answer(self, sender: Any, items: int = 0, start: bool = True, **kwargs: Any) -> Any:
        """``CLUSTER`` receiver: the runner for ``items`` of work (a cluster when worth one).

        With ``start=False`` no cluster is started: the answer is then None
        where one would be (the caller may find it has less work than it thought).
        """
        if self.runner is not None:
            return self.runner
        if self.scheduler == IN_PROCESS:
            return self.in_process
        if self.scheduler or (items >= self.min_local_items and self.local_workers > 1):
            if not start:
                return None
            self.runner = self._start()
            return self.runner
        return self.in_process

    def _start(self) -> TaskRunner:
        started = time.perf_counter()
        self._quiet_dask()
        from distributed import Client, LocalCluster

        if self.scheduler and self.scheduler != LOCAL:
            try:
                client = Client(self.scheduler, timeout=f"{CONNECT_TIMEOUT}s")
            except (OSError, ValueError) as exc:  # gone since the build started, or not Dask
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise ClusterError(
                    f"could not reach the Dask scheduler at {self.scheduler}: {reason}"
                ) from None
            where = self.scheduler
        else:
            import dask

            with dask.config.set(LOCAL_MONITORING):
                self._cluster = LocalCluster(
                    n_workers=self.local_workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            client = Client(self._cluster)
            where = "local cluster"
        if self.scheduler and self.scheduler != LOCAL:
            self._await_a_worker(client)
        code_file, packages = ship_code(client)
        workers = len(client.scheduler_info(n_workers=-1)["workers"])
        self.startup_seconds = round(time.perf_counter() - started, 3)
        logger.info("Tasks run on %s (%d workers)", where, workers)
        return TaskRunner(client, workers, where, task_wrapper(code_file, packages))

    def _await_a_worker(self, client: Any) -> None:
        """A scheduler without workers would hold the build's tasks forever: an error instead."""
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (TimeoutError, OSError):
            client.close()
            raise ClusterError(
                f"the Dask scheduler at {self.scheduler} has no workers"
                f" (none joined within {CONNECT_TIMEOUT:g} s)"
            ) from None

    def _quiet_dask(self) -> None:
        for name in DASK_LOGGERS:
            dask_logger = logging.getLogger(name)
            self._saved_levels.setdefault(name, dask_logger.level)
            dask_logger.setLevel(logging.ERROR)

    def close(self) -> None:
        """Close the client (and the local cluster, never a remote one)."""
        if self.runner is not None and self.runner.client is not None:
            self.runner.client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        for name, level in self._saved_levels.items():
            logging.getLogger(name).setLevel(level)
        self._saved_levels.clear()

    def summary(self) -> dict[str, Any]:
        """The report's ``cluster`` section."""
        runner = self.runner or self.in_process
        return dict(runner.summary(), startup_seconds=self.startup_seconds)


def code_packages() -> frozenset[str]:
    """The top-level packages shipped to the workers: ``newsarchive`` and each plugin."""
    plugins = {
        path.name for path in (ROOT / "plugins").iterdir() if (path / "__init__.py").is_file()
    }
    return frozenset({"newsarchive", *plugins})


def code_zip() -> tuple[str, bytes, tuple[str, ...]]:
    """The project's code as a zip importable from ``sys.path``: (name by digest, bytes, packages).

    ``newsarchive`` at the top, and each plugin package at the top too (the
    plugins import each other by their own names, as Pelican loads them).
    """
    files: list[tuple[str, Path]] = [
        (path.relative_to(ROOT).as_posix(), path)
        for path in sorted((ROOT / "newsarchive").rglob("*.py"))
    ]
    files += [
        (path.relative_to(ROOT / "plugins").as_posix(), path)
        for path in sorted((ROOT / "plugins").rglob("*.py"))
    ]
    buffer = io.BytesIO()
    hasher = hashlib.sha256()
    packages: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in files:
            if "__pycache__" in name:
                continue
            data = path.read_bytes()
            hasher.update(name.encode() + b"\0" + data)
            packages.add(name.split("/", 1)[0])
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return f"archive-code-{hasher.hexdigest()[:16]}.zip", buffer.getvalue(), tuple(sorted(packages))


def ship_code(client: Any) -> tuple[str, tuple[str, ...]]:
    """Send the project's code to every worker (and any that joins later): its file name, packages."""
    import tempfile

    name, data, packages = code_zip()
    with tempfile.TemporaryDirectory(prefix="archive-code-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        client.upload_file(str(path), load=False)
    return name, packages
