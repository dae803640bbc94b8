"""Work is cut into contiguous parts of equal size, never more than asked for."""

from sitewide.parts import contiguous_parts


def test_parts_are_contiguous_equal_and_cover_everything():
    items = list(range(10))
    assert contiguous_parts(items, 3) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert contiguous_parts(items, 20) == [[i] for i in items], "never an empty part"
    assert contiguous_parts(items, 0) == [items], "at least one part"
    assert contiguous_parts([], 4) == []
