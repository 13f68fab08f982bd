"""sotay serve keeps Python's full garbage collections out of the editor's wait
(generator/site/heap.py) without losing memory for good."""

from __future__ import annotations

import gc
import time
import weakref

import pytest

from generator.site.heap import QuietCollector
from test_serve import free_port


class Node:
    """A container the cycle collector tracks (a model object, say)."""


def cycle() -> tuple[Node, weakref.ref]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return a, weakref.ref(a)


def walked(obj) -> bool:
    """Whether a full collection would walk ``obj`` (frozen objects are in no generation)."""
    return any(o is obj for o in gc.get_objects())


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def collector():
    made = []

    def make(idle: float) -> QuietCollector:
        made.append(QuietCollector(idle=idle))
        return made[-1]
    yield make
    for c in made:
        c.close()
    assert gc.get_freeze_count() == 0  # closing lets collections walk everything again


def test_what_the_first_build_leaves_is_not_walked_by_later_collections(collector):
    c = collector(idle=60)
    kept = Node()  # what the build leaves for the session: the handbook, the pages' inputs
    assert walked(kept)
    with c.building():
        pass
    assert not walked(kept)
    made_later = Node()  # a later rebuild's objects are walked, and freed, as usual
    assert walked(made_later)
    with c.building():
        pass
    assert not walked(kept)


def test_garbage_among_frozen_objects_is_freed_once_the_server_is_idle(collector):
    c = collector(idle=0.3)
    a, ref = cycle()
    with c.building():
        pass
    del a  # e.g. the model of a file edited since: unreachable, in a cycle, frozen
    gc.collect()
    assert ref() is not None  # not yet: collections skip frozen objects
    with c.building():  # a rebuild: a sweep is due once the server is idle
        pass
    assert wait_until(lambda: ref() is None)


def test_no_sweep_while_a_build_runs(collector):
    c = collector(idle=0.1)
    a, ref = cycle()
    with c.building():
        pass
    del a
    with c.building():
        pass  # from here a sweep is due after 0.1 s idle
    with c.building():  # the next save came at once: the build is not held up, nor collected under
        time.sleep(0.5)
        assert ref() is not None
    assert wait_until(lambda: ref() is None)


def test_a_failed_build_keeps_its_heap_out_of_collections_too(collector):
    c = collector(idle=60)
    kept = Node()
    with pytest.raises(RuntimeError), c.building():
        raise RuntimeError("lỗi nội dung")
    assert not walked(kept)


def test_the_preview_server_freezes_its_first_build_and_lets_go_on_exit(mini):
    from generator.site.serve import preview

    with preview(mini, "127.0.0.1", free_port(), lambda message: None):
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
