"""Writing output files so that an interruption never leaves a half-written one.

Every output is written to a temporary file next to its destination and moved into place
(``os.replace``, atomic on one file system) only when complete: Ctrl-C, a full disk or a crash
leaves the previous output as it was, and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A binary file to write; it replaces ``path`` when the block ends without an error."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed or removed below
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            yield handle
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise


@contextlib.contextmanager
def staging(directory: Path) -> Iterator[Path]:
    """A temporary folder inside ``directory`` for files to be moved in with :func:`move_in`.

    It is removed at the end, with whatever was not moved (everything, after an error).
    """
    folder = Path(tempfile.mkdtemp(dir=directory, prefix=".gongkai-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def move_in(staged: Path, directory: Path, names: list[str]) -> None:
    """Move the staged files into ``directory``, in the order given (the index last)."""
    for name in names:
        os.replace(staged / name, directory / name)
