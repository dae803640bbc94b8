"""Render tasks are collected as they finish, not all at the end (their inputs leave memory)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from newsarchive.cluster import TaskRunner
from newsarchive.render_partitions import RenderStream
from sitewide.free_memory import GiveBackAsItGrows


class FakeFuture:
    """Stands for a Dask future: finished or not, released once collected."""

    def __init__(self, result: Any, finished: bool = True) -> None:
        self._result = result
        self.finished = finished
        self.released = False

    def done(self) -> bool:
        return self.finished

    def result(self) -> Any:
        return ("tcp://worker-1", 0.5, self._result)

    def release(self) -> None:
        self.released = True


def test_ready_collects_only_finished_tasks_and_releases_them() -> None:
    runner = TaskRunner(client=object(), workers=2, where="test")
    finished, running = FakeFuture("a"), FakeFuture("b", finished=False)
    assert list(runner.ready([finished, running], phase="render")) == [(finished, "a")]
    assert finished.released and not running.released
    assert runner.tasks["render"]["tcp://worker-1"] == 1
    assert runner.costs["render"]["seconds"] == 0.5


class FakeRunner:
    """Submits tasks that finish at once (or never, for the last ``unfinished``)."""

    where = "test"

    def __init__(self) -> None:
        self.handles: list[FakeFuture] = []
        self.inner = TaskRunner(client=object(), workers=2, where="test")

    def submit(self, function: Any, jobs: list, *args: Any, phase: str) -> FakeFuture:
        handle = FakeFuture((len(jobs), [name for name, *_ in jobs if name.endswith("-back")]))
        self.handles.append(handle)
        return handle

    def ready(self, handles: Any, *, phase: str) -> Any:
        return self.inner.ready(handles, phase=phase)

    def results(self, handles: list, *, phase: str) -> Any:
        return (handle.result()[2] for handle in handles)


def test_a_render_stream_collects_finished_tasks_while_it_feeds() -> None:
    rendered_here: list[str] = []
    generator = SimpleNamespace(
        output_path="/nowhere",
        render_jobs=lambda pages, spec, names, snapshot: [(p.name, "t", {}) for p in pages],
        _render_here=lambda page: rendered_here.append(page.name),
    )
    runner = FakeRunner()
    stream = RenderStream(generator, runner, SimpleNamespace(), size=3)
    stream.memory = GiveBackAsItGrows(step=1 << 62)
    pending = [SimpleNamespace(name=f"p{n}" + ("-back" if n == 4 else "")) for n in range(10)]
    stream.feed(pending)
    assert len(pending) == 1, "sent pages leave the pending list"
    assert len(stream.waiting) <= 1, "finished tasks were collected while feeding"
    assert all(handle.released for handle in runner.handles[:-1])
    assert rendered_here == ["p4-back"], "a page handed back is rendered here when collected"
    stream.finish(pending)
    assert stream.rendered == 10 and not stream.waiting and not pending
