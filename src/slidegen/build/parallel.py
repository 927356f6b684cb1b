"""Running independent tasks on every core: forked worker processes that end with their parent.

:func:`run_all` takes functions of no argument and returns their results in order. Where the
system can fork, the tasks run in a pool of forked processes — a worker inherits the task list,
so nothing is pickled on the way in, only the results on the way back — and one after another
elsewhere. :func:`started` begins one task in a process of its own at once, while the caller goes
on with what the task does not need (a build counts its data while it finds its fonts, and
writes its 集計表 while it lays out the slides). A worker dies with its parent (even a SIGKILLed
one, on Linux) and leaves Ctrl-C and SIGTERM to the parent, which terminates the pool — or stops
the started process — on any error or interrupt.

The pool has a worker per core, or as many as :data:`JOBS_VARIABLE` (``SLIDEGEN_JOBS``) says —
1 runs every task in the calling process, as where several builds already share the cores (a
parallel test run, a machine running other work).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import select
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from ..errors import ProjectError

T = TypeVar("T")

#: the environment variable that caps the number of worker processes
JOBS_VARIABLE = "SLIDEGEN_JOBS"

_TASKS: Sequence[Callable[[], object]] = ()


def _run_task(i: int) -> object:
    return _TASKS[i]()


_STOPS = {signal.SIGINT, signal.SIGTERM}


def _worker_start() -> None:
    os.environ[JOBS_VARIABLE] = "1"  # a task's own tasks run in its worker (run_each)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # forked while the parent held them back
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own pipes end the workers
        pass


#: how often a worker that makes many decks looks for reference cycles (its first generation's
#: threshold: a build's objects, nearly none in cycles, are mostly freed before it is reached)
COLLECT_EVERY = (10_000, 50, 100)


def _pool_worker_start() -> None:
    """A pool worker's start (:func:`run_each`'s): as any worker's, and — as it makes deck after
    deck — with the cyclic collector on, which a run's own process leaves off
    (:func:`slidegen.cli.run`), so that the cycles each deck leaves do not add up."""
    _worker_start()
    gc.set_threshold(*COLLECT_EVERY)
    gc.enable()


@contextmanager
def stops_held() -> Iterator[None]:
    """Inside the ``with``, a stop (Ctrl-C, SIGTERM) is noted, and taken on leaving it — as the
    handler it came to would have taken it — for the libraries a run imports: CPython can lose a
    Ctrl-C raised in an import (in an import lock's callback, whose errors it ignores: the run went
    on and exited 0), and an extension module can fail or abort on one while it initialises
    (pikepdf said it "failed to import"; one run aborted). Only the main thread can do this (it
    alone sets handlers); elsewhere the block runs as it is."""
    import threading

    previous = {stop: signal.getsignal(stop) for stop in _STOPS}
    if threading.current_thread() is not threading.main_thread() or None in previous.values():
        yield
        return
    came: list[int] = []
    for stop in _STOPS:
        signal.signal(stop, lambda signum, _: came.append(signum))
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
        if came:
            stop = signal.Signals(came[0])
            handler = previous[stop]
            if callable(handler):
                handler(stop, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(stop)


def jobs() -> int:
    """How many processes a build may use: ``SLIDEGEN_JOBS`` where it is a whole number of at least
    1, else every core."""
    said = os.environ.get(JOBS_VARIABLE, "").strip()
    if not said:
        return os.cpu_count() or 1
    if not said.isdigit() or int(said) < 1:
        raise ProjectError(f"{JOBS_VARIABLE}={said!r}: expected a whole number of processes, 1 or more (or unset it).")
    return int(said)


def run_all(tasks: Sequence[Callable[[], T]]) -> list[T]:
    """The results of ``tasks``, in order, computed on every core. Where there is a core for each
    task, all but the last run in processes forked for them (:func:`started`) and the last in this
    one — no pool to make, and one result less to send (a build's PPTX and PDF)."""
    if not 1 < len(tasks) <= jobs() or "fork" not in multiprocessing.get_all_start_methods():
        return run_each(tasks)
    with ExitStack() as stack:
        others = [stack.enter_context(started(task)) for task in tasks[:-1]]
        last = tasks[-1]()
        return [*(other() for other in others), last]


def run_each(tasks: Sequence[Callable[[], T]], done: Callable[[int, T], None] = lambda i, result: None) -> list[T]:
    """The results of ``tasks``, in order, computed on every core; ``done(i, result)`` is called
    in this process as each result arrives, in order (a progress bar's steps). A task that runs
    :func:`run_all` itself runs its own tasks in its worker, one after another: the cores are
    already taken."""
    global _TASKS
    results: list[T] = []
    workers = min(jobs(), len(tasks))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for i, task in enumerate(tasks):
            results.append(task())
            done(i, results[-1])
        return results
    _TASKS = tasks
    # a stop (Ctrl-C, SIGTERM) that came while the pool is being made would leave it half-made; hold
    # stops back until it stands, then take them where the pool is ended
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_pool_worker_start)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        _TASKS = ()
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for i, result in enumerate(pool.imap(_run_task, range(len(tasks)), chunksize=1)):
            results.append(result)  # type: ignore[arg-type]
            done(i, result)  # type: ignore[arg-type]
        pool.close()
        return results
    finally:
        pool.terminate()
        pool.join()
        _TASKS = ()


@contextmanager
def started(task: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """``task`` begun now in a forked process of its own, while this one goes on; inside the
    ``with``, the function given waits for it and returns its result (or raises what it raised).
    Leaving the ``with`` without asking — an error, an interrupt — stops the process. Where there
    is one job (:func:`jobs`) or no fork, the task runs when its result is asked for."""
    with started_parts(lambda: iter((task(),))) as parts:
        yield lambda: parts(0)


class Parts:
    """The things a started task makes (:func:`started_parts`): ``parts(i)`` waits for the ``i``-th
    (the first is 0) and returns it, or raises what stopped the task there; ``parts.ready(i)``
    says, without waiting, whether it has come."""

    def __init__(self, take: Callable[[], tuple[bool, Any] | None], coming: Callable[[], bool]) -> None:
        self._take = take  # the next thing made, as (made, it or its error); None: nothing more
        self._coming = coming  # whether the next thing is there to take without waiting
        self._made: list[tuple[bool, Any]] = []
        self.ended = False  # the task has made all it will

    def __call__(self, i: int) -> Any:
        while len(self._made) <= i and not self.ended:
            taken = self._take()
            if taken is None:
                self.ended = True
            else:
                self._made.append(taken)
        if len(self._made) <= i:
            raise RuntimeError(f"the worker process gave no result (part {i} of {len(self._made)})")
        ok, value = self._made[i]
        if not ok:
            raise value
        return value

    def ready(self, i: int) -> bool:
        return len(self._made) > i or (not self.ended and len(self._made) == i and self._coming())


@contextmanager
def started_parts(task: Callable[[], Iterator[Any]]) -> Iterator[Parts]:
    """:func:`started` for a task that makes several things one after another (a generator): each
    is sent back as soon as it is made, so this process can go on with the first while the task
    makes the next (:class:`Parts`). Leaving the ``with`` before the task has ended stops it."""
    if jobs() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        here: list[Iterator[tuple[bool, Any]]] = []  # the task begun when its first part is asked for

        def next_here() -> tuple[bool, Any] | None:
            if not here:
                here.append(_outcomes(task))
            return next(here[0], None)

        yield Parts(next_here, lambda: False)
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)  # until leaving the with stops the process
    try:
        pid, read = _given_warm(task) or _forked(task)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    pipe = os.fdopen(read, "rb", buffering=0)  # unbuffered: select says truly whether more has come

    def take() -> tuple[bool, Any] | None:
        size = _exactly(pipe, 8)
        if len(size) < 8:  # the pipe ended: the process has made all it will
            os.waitpid(pid, 0)
            return None
        data = _exactly(pipe, int.from_bytes(size, "big"))
        try:
            return pickle.loads(data)
        except Exception as e:  # noqa: BLE001 - not whole: the process was killed
            return False, RuntimeError(f"the worker process gave no result ({type(e).__name__}: {e})")

    parts = Parts(take, lambda: bool(select.select([pipe], [], [], 0)[0]))
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        yield parts
    finally:
        pipe.close()
        if not parts.ended:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _forked(task: Callable[[], Iterator[Any]]) -> tuple[int, int]:
    """``task`` begun in a process forked now, which sends back what it makes: (its pid, the
    pipe to read). Called with stops held back: the child takes none before it ignores them."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except BaseException:
        os.close(read)
        os.close(write)
        raise
    if pid == 0:  # pragma: no cover - the child (its coverage is not collected): never returns
        try:
            os.close(read)
            _worker_start()
            _serve(task, write)
        finally:
            os._exit(0)
    os.close(write)
    return pid, read


def _serve(task: Callable[[], Iterator[Any]], write: int) -> None:
    """In a worker: each outcome of ``task`` (:func:`_outcomes`) sent on ``write`` as it comes, a
    pickle after its length."""
    with os.fdopen(write, "wb") as out:
        for said in _outcomes(task):
            try:
                data = pickle.dumps(said)
            except Exception as e:  # noqa: BLE001 - an unpicklable error still says what it was
                data = pickle.dumps((False, RuntimeError(f"{type(said[1]).__name__}: {said[1]} ({e})")))
            out.write(len(data).to_bytes(8, "big") + data)
            out.flush()


@dataclass
class _Warm:
    """A worker begun early (:func:`warmed`), importing what its task will need while it waits for
    it: its pid, the pipe its task is sent on and the pipe it answers on."""

    pid: int
    tasks: int
    results: int


#: the worker begun by :func:`warmed`, until a task is given to it
_WARM: list[_Warm] = []
#: the most a task sent to a warm worker may weigh: a pipe takes it whole without waiting for the reader
_TASK_BYTES = 32_768


@contextmanager
def warmed(prepare: Callable[[], None]) -> Iterator[None]:
    """Inside the ``with``, the first task :func:`started_parts` begins goes to a worker forked now,
    which runs ``prepare`` meanwhile — so a command that knows early what its first task will need
    (a build: pandas, to count the data) has it imported by the time the task is known. A task that cannot be sent (it does not pickle) gets a process of its own, as
    without this. The worker, if no task came, is stopped on leaving. Nothing is begun where there
    is one job (:func:`jobs`) or no fork."""
    if jobs() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield
        return
    tasks_read, tasks = os.pipe()
    results, results_write = os.pipe()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for fd in (tasks_read, tasks, results, results_write):
            os.close(fd)
        raise
    if pid == 0:  # pragma: no cover - the child (its coverage is not collected): never returns
        try:
            os.close(tasks)
            os.close(results)
            _worker_start()
            try:
                prepare()
            except Exception:  # noqa: BLE001, S110 - the task that needs it says what is wrong
                pass
            with os.fdopen(tasks_read, "rb", buffering=0) as given:
                size = _exactly(given, 8)
                data = _exactly(given, int.from_bytes(size, "big")) if len(size) == 8 else b""
            if data:
                _serve(partial(_unpickled, data), results_write)
        finally:
            os._exit(0)
    os.close(tasks_read)
    os.close(results_write)
    warm = _Warm(pid, tasks, results)
    _WARM.append(warm)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        yield
    finally:
        if warm in _WARM:  # no task was given to it
            _WARM.remove(warm)
            os.close(warm.tasks)
            os.close(warm.results)
            os.kill(warm.pid, signal.SIGKILL)
            os.waitpid(warm.pid, 0)


def _unpickled(data: bytes) -> Iterator[Any]:
    """The outcomes of the task pickled as ``data`` (a warm worker's): unpickling it may fail too."""
    return pickle.loads(data)()


def _given_warm(task: Callable[[], Iterator[Any]]) -> tuple[int, int] | None:
    """``task`` given to the warm worker (:func:`warmed`), where there is one and it can be sent:
    (its pid, the pipe to read)."""
    if not _WARM:
        return None
    try:
        data = pickle.dumps(task)
    except Exception:  # noqa: BLE001 - a closure, a lambda: it runs in a process forked for it
        return None
    if len(data) > _TASK_BYTES:
        return None
    warm = _WARM.pop()
    os.write(warm.tasks, len(data).to_bytes(8, "big") + data)
    os.close(warm.tasks)
    return warm.pid, warm.results


def _exactly(pipe: Any, size: int) -> bytes:
    """``size`` bytes from ``pipe``, fewer only where it ends."""
    chunks, got = [], 0
    while got < size:
        chunk = pipe.read(min(size - got, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _outcomes(task: Callable[[], Iterator[Any]]) -> Iterator[tuple[bool, Any]]:
    """Each thing ``task`` makes as (True, it), and what stopped it as (False, the error) — caught
    in the task alone, so that closing this generator early still closes it."""
    try:
        made = iter(task())
        while True:
            try:
                value = next(made)
            except StopIteration:
                return
            yield True, value
    except GeneratorExit:
        raise
    except BaseException as e:  # noqa: BLE001 - every failure goes back to the parent
        yield False, e
