"""The task runners a build uses: results in order, a failure raised where it is asked for, no
worker left behind."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from slidegen.build.parallel import JOBS_VARIABLE, run_all, started, started_parts, stops_held, warmed
from slidegen.errors import FigureError


def _fail() -> None:
    raise FigureError("figure 4: no room for its labels")


@pytest.fixture(params=["1", "2"], ids=["in this process", "forked"])
def jobs(request, monkeypatch):
    monkeypatch.setenv(JOBS_VARIABLE, request.param)
    return int(request.param)


def test_a_started_task_gives_its_result_while_the_caller_goes_on(jobs):
    with started(os.getpid) as pid, started(lambda: b"x" * 1_000_000) as big:  # more than a pipe holds
        assert run_all([lambda: 1, lambda: 2, lambda: 3]) == [1, 2, 3]
        assert (pid() != os.getpid()) == (jobs > 1)
        assert big() == b"x" * 1_000_000
        assert pid() == pid()  # asked twice: the same answer, the process waited for once


def test_a_started_task_that_fails_raises_where_its_result_is_asked_for(jobs):
    with started(_fail) as result, pytest.raises(FigureError, match="figure 4: no room for its labels"):
        result()


def _counted_then_tabled(go_on: Path):
    yield os.getpid()
    for _ in range(300):  # made only once the caller has the first part (at most 30 s)
        if go_on.exists():
            break
        time.sleep(0.1)
    yield "集計表" if go_on.exists() else "the first part was held back until the second was made"
    raise FigureError("figure 4: no room for its labels")


def test_a_task_in_parts_gives_each_as_it_is_made(jobs, tmp_path):
    """The first part is there while the task makes the next; a failure is raised by the part it
    stopped, the parts before it given as made."""
    go_on = tmp_path / "go-on"
    with started_parts(lambda: _counted_then_tabled(go_on)) as part:
        first = part(0)
        go_on.touch()
        assert (first != os.getpid()) == (jobs > 1)
        assert part(1) == "集計表"
        assert part(0) == first
        with pytest.raises(FigureError, match="figure 4"):
            part(2)


def _import_tabnanny() -> None:
    import tabnanny  # noqa: F401


def _imported_then(name: str):
    import sys

    yield os.getpid(), name in sys.modules


def test_a_warm_worker_imports_before_its_task_and_is_stopped_unless_given_one(monkeypatch):
    """The first task begun inside ``warmed`` goes to the worker forked on entering, which has
    imported the modules by then; the next, and one that cannot be sent (a lambda), get a process
    of their own; a warm worker given no task is stopped on leaving."""
    import sys
    from functools import partial

    monkeypatch.setenv(JOBS_VARIABLE, "2")
    assert "tabnanny" not in sys.modules  # a module this test process has not imported
    with warmed(_import_tabnanny):
        with started_parts(partial(_imported_then, "tabnanny")) as first, started_parts(
            partial(_imported_then, "tabnanny")
        ) as second, started(lambda: os.getpid()) as third:
            warm_pid, imported = first(0)
            assert imported  # imported by the warm worker before the task came
            assert second(0) == (second(0)[0], False)  # forked now from this process: not imported
            assert len({warm_pid, second(0)[0], third(), os.getpid()}) == 4
    assert "tabnanny" not in sys.modules
    with warmed(_import_tabnanny):
        import slidegen.build.parallel as parallel

        idle = parallel._WARM[0].pid
    with pytest.raises(ChildProcessError):
        os.waitpid(idle, os.WNOHANG)  # stopped and reaped on leaving


def test_leaving_without_asking_stops_the_task(monkeypatch):
    monkeypatch.setenv(JOBS_VARIABLE, "2")
    with pytest.raises(KeyError), started(os.getpid) as child, started(lambda: time.sleep(60)):
        pid = child()
        raise KeyError("an error in the caller")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the first, asked, has ended; the sleeper was killed (else the test waits a minute)


def test_every_error_reaches_the_command_whole_from_a_worker():
    """An error raised in a worker comes back by pickle: the same class, message and details."""
    import pickle

    from slidegen import errors

    made = {
        errors.ResponseError: errors.ResponseError(
            [errors.Problem("responses.csv", "one of 1, 2", 3, "011002", "Q4", "9")] * 25
        ),
        errors.NotShown: errors.NotShown("図4 の順位", "理由"),
    }
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.SlidegenError)]
    assert len(classes) > 10
    for cls in classes:
        error = made.get(cls) or cls(f"{cls.__name__}: what went wrong, and what to do")
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is cls
        assert str(again) == str(error)
        assert vars(again) == vars(error)


def test_a_stop_inside_stops_held_is_taken_on_leaving():
    """A Ctrl-C that comes while stops are held (the libraries a run imports) is not lost and not
    raised inside: it is raised as the ``with`` is left."""
    import signal

    reached = []
    with pytest.raises(KeyboardInterrupt):
        with stops_held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            reached.append("the end of the block")
    assert reached == ["the end of the block"]
