"""The build lock: a second build (or the workbench's proof) that finds it held says who
holds it, even in the moment the holder has taken it and not yet written its name."""

from __future__ import annotations

import pytest

from publisher.pipeline.buildlock import LOCK_FILE, BuildRunning, build_lock


def test_a_holder_not_yet_named_is_said_as_unknown(tmp_path):
    with build_lock(tmp_path):
        (tmp_path / LOCK_FILE).write_bytes(b"")  # taken, its pid not yet written
        with (
            pytest.raises(BuildRunning, match=r"\(process unknown\)"),
            build_lock(tmp_path, wait=False),
        ):
            pass
