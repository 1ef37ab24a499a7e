"""Imported by the layout workers' server as it starts (`workers.STREAMS`): the server's
standard streams go to /dev/null, so it never holds the pipes a caller reads the build
through (it may outlive a killed build by a moment). Imported anywhere else, it does
nothing."""

import sys

from .lifeline import quiet_std_streams


def _in_forkserver() -> bool:
    frame = sys._getframe()
    while frame is not None:
        code = frame.f_code
        if code.co_name == "main" and code.co_filename.endswith("forkserver.py"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


if _in_forkserver():
    quiet_std_streams()
