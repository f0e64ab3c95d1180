"""Files: the shipped texts, copying them for editing, and the one atomic write.

Every file that holds personal data (the workbook, outbox documents, overviews, the
access-request folder) is written through :func:`atomic_write`: a crash leaves either the
old complete file or the new complete one, never half of each.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

PRIVATE = 0o600  # personal data: only the owner reads it
PRIVATE_DIR = 0o700

# The repository's top level, where forms/ and templates/ live in a clone; a wheel carries
# them inside the package instead (pyproject's force-include).
_CHECKOUT = Path(__file__).resolve().parents[2]


def packaged(name: str) -> Path:
    """Return the folder of shipped texts called name ('forms' or 'templates')."""
    inside = Path(str(resources.files("klachtsheet") / name))
    if inside.is_dir():
        return inside
    return _CHECKOUT / name


def copy_tree_missing(source: Path, target: Path) -> list[Path]:
    """Copy every file of source into target, keeping files that are already there.

    Returns the files copied. An organisation edits the copies; a newer klachtsheet
    never overwrites them.
    """
    copied = []
    for path in sorted(source.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        destination = target / path.relative_to(source)
        if destination.exists():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        copied.append(destination)
    return copied


def atomic_write(
    path: Path,
    content: str | bytes | Sequence[bytes] | Callable[[Path], None],
    *,
    mode: int | None = PRIVATE,
) -> Path:
    """Write a file atomically and durably: temp file, fsync, rename, fsync the folder.

    content is the text or bytes, consecutive pieces of bytes (a large file never joined
    into one copy), or a function that writes the temp file it is given (for libraries
    that save to a path). mode None keeps the mode of an existing file.
    Raises OSError; callers turn it into their own Dutch message.
    """
    path = Path(path)
    make_folder(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        if callable(content):
            os.close(fd)
            content(tmp)
        else:
            data = content.encode("utf-8") if isinstance(content, str) else content
            with os.fdopen(fd, "wb") as handle:
                if isinstance(data, bytes):
                    handle.write(data)
                else:
                    handle.writelines(data)
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        if mode is None and path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, PRIVATE if mode is None else mode)
        os.replace(tmp, path)
        fsync_directory(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def make_folder(folder: Path) -> None:
    """Create a folder and its missing parents (owner only), each one durably.

    The new folder's name lives in its parent: that parent is synced as well, or a crash
    could lose the folder with a letter the journal already counts as made (the file's
    own sync does not cover its folder's name on every filesystem).
    """
    folder = Path(folder)
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for new in reversed(missing):
        try:
            new.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            if not new.is_dir():
                raise
            continue  # made meanwhile by another process, which syncs it
        fsync_directory(new.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename in directory durable where the platform allows it."""
    # Windows and some network shares cannot open or fsync a folder; the rename itself
    # is still atomic there, so this is best effort by design.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
