"""Moving one case a step up or down the book: the buttons beside each case on the book
page (for touch screens, keyboards and screen readers, where dragging does not serve).
The new order is written and checked by `api.reorder`, as a drag's is."""

from __future__ import annotations

from ..api import Group

STEPS = {"up": -1, "down": 1}


def moved(groups: list[Group], case_id: str, step: int) -> list[Group] | None:
    """The book's order with `case_id` moved one place (`step` -1 up, 1 down): within its
    part, or past the part's end into the neighbouring part (to its end going up, its
    start going down). None when the case is not there or cannot go further."""
    found = next(
        (
            (g, list(group.cases).index(case_id))
            for g, group in enumerate(groups)
            if case_id in group.cases
        ),
        None,
    )
    if found is None:
        return None
    g, index = found
    lists = [list(group.cases) for group in groups]
    lists[g].pop(index)
    target = index + step
    if 0 <= target <= len(lists[g]):
        lists[g].insert(target, case_id)
    elif 0 <= g + step < len(lists):  # into the neighbouring part
        neighbour = lists[g + step]
        neighbour.insert(len(neighbour) if step < 0 else 0, case_id)
    else:
        return None  # the first case of the book going up, the last going down
    return [Group(group.title, tuple(ids)) for group, ids in zip(groups, lists, strict=True)]
