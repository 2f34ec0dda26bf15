"""Saving under faults: a full disk, a read-only folder or file, symlinks, SIGKILL mid-save
and a file changed behind our back. After every fault the previous file is intact to the
byte, no temp file is left, and the failure is a SaveError with a reason a person can act on.

Permission tests mean nothing as root (root writes anywhere), so they run in a subprocess as
an unprivileged user (setpriv to uid 65534), or as the current user when that is not root.
"""

import functools
import importlib.util
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest

from briefing_app.model import storage
from briefing_app.model.briefing import Briefing
from briefing_app.model.errors import SaveError

ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534
SEED = 20240607


def temp_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


def grown(briefing: Briefing, size: int) -> Briefing:
    """A copy whose first event's notes make the file at least `size` bytes larger."""
    first = replace(briefing.events[0], notes=briefing.events[0].notes + "\n\n" + "x" * size)
    return replace(briefing, title="Changed", events=[first, *briefing.events[1:]])


@pytest.fixture
def saved(tmp_path, briefing) -> Path:
    path = tmp_path / "b.json"
    storage.save(briefing, path)
    return path


def python(code: str, *args, prefix=(), timeout=30, exe=None,
           path=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(path or ROOT))
    return subprocess.run([*prefix, exe or sys.executable, "-c", code, *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd="/")


# A save in a child process: exit 0 saved, 1 SaveError (printed), anything else a bug.
SAVE = """
import sys
from briefing_app.model import storage
from briefing_app.model.errors import SaveError
briefing = storage.load(sys.argv[1])
briefing.title = "Changed by the test"
briefing.events[0].notes += "x" * int(sys.argv[2])
try:
    storage.save(briefing, sys.argv[1])
except SaveError as exc:
    print(exc)
    sys.exit(1)
"""


# --- a full disk ----------------------------------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs; skipped where mounting is not allowed (not root, or a sandbox)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; test_file_size_limit covers the fault")
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_full_disk_fails_and_keeps_the_old_file(tiny_disk, briefing):
    path = tiny_disk / "b.json"
    storage.save(briefing, path)  # 33 kB of the 64
    before = path.read_bytes()
    with pytest.raises(SaveError, match="No space left on device: the disk or your quota is full"):
        storage.save(grown(briefing, 40_000), path)
    assert path.read_bytes() == before
    assert temp_files(path) == []


def test_file_size_limit_fails_and_keeps_the_old_file(saved):
    # RLIMIT_FSIZE works without root: past the limit write() fails with EFBIG (once
    # SIGXFSZ, which would kill the process, is ignored).
    code = ("import resource, signal\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (48_000, 48_000))\n" + SAVE)
    before = saved.read_bytes()
    done = python(code, saved, 100_000)
    assert done.returncode == 1, done.stderr
    assert "could not save: File too large: a file-size limit was reached" in done.stdout
    assert saved.read_bytes() == before
    assert temp_files(saved) == []


# --- read-only folder and file, as a user without privileges -----------------------------------

@pytest.fixture
def unprivileged():
    """(run, folder): `run(code, *args)` runs Python as a user file permissions stop."""
    if os.geteuid() != 0:
        folder = Path(tempfile.mkdtemp(prefix="briefing-faults-"))
        yield python, folder
        for path in [folder, *folder.iterdir()]:
            path.chmod(0o700)
        shutil.rmtree(folder)
        return
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a permission test would mean nothing")
    prefix = ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
    # Under /tmp, not tmp_path: pytest's folders are private to root.
    folder = Path(tempfile.mkdtemp(prefix="briefing-faults-"))
    os.chown(folder, NOBODY, NOBODY)
    # A checkout or venv under a private folder (CI's clone, mktemp -d) is out of reach for
    # uid 65534: give it a readable copy of the package and of orjson (all the model needs
    # beyond the standard library) and, if need be, the system Python.
    code = Path(tempfile.mkdtemp(prefix="briefing-code-"))
    code.chmod(0o755)
    shutil.copytree(ROOT / "briefing_app", code / "briefing_app",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(Path(importlib.util.find_spec("orjson").origin).parent, code / "orjson",
                    ignore=shutil.ignore_patterns("__pycache__"))
    runner = None
    for exe in (sys.executable, shutil.which("python3"), "/usr/bin/python3"):
        if exe and python("import briefing_app.model.storage", prefix=prefix, exe=exe,
                          path=code).returncode == 0:
            runner = exe
            break
    if runner is None:
        shutil.rmtree(folder)
        shutil.rmtree(code)
        pytest.skip(f"uid {NOBODY} can run no Python here")
    yield functools.partial(python, prefix=prefix, exe=runner, path=code), folder
    shutil.rmtree(folder)
    shutil.rmtree(code)


def owned_copy(folder: Path, source: Path, mode: int) -> Path:
    path = folder / "b.json"
    shutil.copyfile(source, path)
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY)
    path.chmod(mode)
    return path


@pytest.mark.parametrize("file_mode, folder_mode, reason", [
    (0o644, 0o555, "cannot create a file in the folder"),  # the file itself is writable
    (0o444, 0o755, "the file is read-only"),  # a rename would replace it all the same
], ids=["read-only folder", "read-only file"])
def test_read_only_is_refused_and_the_file_kept(unprivileged, bundled_path, file_mode,
                                                 folder_mode, reason):
    run, folder = unprivileged
    path = owned_copy(folder, bundled_path, file_mode)
    folder.chmod(folder_mode)
    before = path.read_bytes()
    try:
        done = run(SAVE, path, 10)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{path}: could not save: {reason}" in done.stdout
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == file_mode
    assert [p.name for p in folder.iterdir()] == ["b.json"]


def test_read_only_file_is_refused_even_for_root(saved, briefing):
    # os.access says yes to root; the mode bits still say the user meant it to stay.
    saved.chmod(0o444)
    before = saved.read_bytes()
    with pytest.raises(SaveError, match="the file is read-only"):
        storage.save(grown(briefing, 10), saved)
    assert saved.read_bytes() == before
    assert temp_files(saved) == []


# --- symlinks (the plain case is in test_storage) ------------------------------------------------

def test_a_chain_of_links_across_folders_replaces_only_the_real_file(tmp_path, saved, briefing):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    middle = elsewhere / "middle.json"
    middle.symlink_to(saved)
    outer = tmp_path / "outer.json"
    outer.symlink_to(os.path.relpath(middle, tmp_path))
    storage.save(grown(briefing, 10), outer)
    assert outer.is_symlink() and middle.is_symlink()
    assert storage.load(saved).title == "Changed"
    assert temp_files(saved) == [] and list(elsewhere.glob(".*.tmp")) == []


@pytest.mark.parametrize("target, reason", [
    ("loop.json", "a link loop"),  # the link points at itself
    ("/dev/null", "the path is not a regular file"),
    (".", "the path is not a regular file"),
])
def test_a_link_to_something_else_is_refused(tmp_path, briefing, target, reason):
    link = tmp_path / "loop.json"
    link.symlink_to(target)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(SaveError, match=reason):
        storage.save(briefing, link)
    assert link.is_symlink() and os.readlink(link) == target
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --- SIGKILL in the middle of saves -------------------------------------------------------------

SAVE_FOREVER = """
import sys
from pathlib import Path
from briefing_app.model import storage
versions = [Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()]
print("ready", flush=True)
n = 0
while True:
    n += 1
    storage.write_atomic(sys.argv[1], versions[n % 2])
"""


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_old_or_new_and_no_temp_file(tmp_path, briefing):
    big = replace(briefing, events=[replace(e, id=f"{e.id}-{k}") for k in range(150)
                                    for e in briefing.events])  # 2,100 events, ~4 MB
    old, new = storage.dumps(big), storage.dumps(grown(big, 100))
    (tmp_path / "old").write_bytes(old)
    (tmp_path / "new").write_bytes(new)
    path = tmp_path / "b.json"
    path.write_bytes(old)
    started = time.perf_counter()
    storage.write_atomic(tmp_path / "probe.json", new)
    write_time = time.perf_counter() - started
    rng = random.Random(SEED)
    seen, interrupted = set(), 0
    for _ in range(50):
        child = subprocess.Popen(
            [sys.executable, "-c", SAVE_FOREVER, str(path), tmp_path / "old", tmp_path / "new"],
            stdout=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd="/")
        assert child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 3 * write_time))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        data = path.read_bytes()
        assert data in (old, new), "a killed save left a mix of old and new"
        seen.add(data)
        storage.load(path)
        interrupted += len(storage.remove_stale_temp_files(path))
        assert temp_files(path) == []
    assert seen == {old, new}  # some saves completed, and the loop did alternate
    assert interrupted > 0  # and some kills landed in the middle of a write


# --- a file changed behind our back -----------------------------------------------------------

@pytest.fixture
def document(qtbot, saved):
    from briefing_app.ui.document import Document

    doc = Document()
    doc.load(str(saved))
    return doc


def test_an_external_edit_between_load_and_save_is_detected(document, saved, qtbot):
    assert not document.disk_differs()
    with qtbot.wait_signal(document.changed_on_disk, timeout=5000) as blocker:
        saved.write_bytes(saved.read_bytes().replace(b"\n}", b',\n  "x_by_git": 1\n}', 1))
    assert blocker.args == [str(saved)]
    assert document.disk_differs()


def test_a_touch_or_an_identical_rewrite_is_not_a_change(document, saved):
    os.utime(saved)
    copy = saved.with_name("incoming.json")
    copy.write_bytes(saved.read_bytes())
    os.replace(copy, saved)  # as git checkout does: new inode, same bytes
    assert not document.disk_differs()


def test_our_own_save_is_not_a_change_and_a_deleted_file_is(document, saved):
    document.save()
    assert not document.disk_differs()
    saved.unlink()
    assert document.disk_differs()


@pytest.mark.parametrize("away", ["deleted", "moved"])
def test_a_file_deleted_or_moved_and_put_back_changed_is_noticed(document, saved, qtbot,
                                                                  away):
    theirs = saved.read_bytes().replace(b"\n}", b',\n  "x_by_git": 1\n}', 1)
    with qtbot.wait_signal(document.changed_on_disk, timeout=5000):
        if away == "deleted":
            saved.unlink()
        else:
            saved.rename(saved.with_name("elsewhere.json"))
    # Put back as a colleague's tool does (delete, then write): the watcher had dropped the
    # path with the file, and nothing told of the file that came back.
    with qtbot.wait_signal(document.changed_on_disk, timeout=5000) as blocker:
        saved.write_bytes(theirs)
    assert blocker.args == [str(saved)]
    assert document._watcher.files() == [str(saved)]
    assert document._watcher.directories() == []  # its folder is watched no more
    with qtbot.wait_signal(document.changed_on_disk, timeout=5000):
        saved.write_bytes(theirs + b"\n")  # and later changes are seen again


def test_a_file_with_a_byte_order_mark_is_not_changed_by_loading_it(qtbot, tmp_path, briefing):
    from briefing_app.ui.document import Document

    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + storage.dumps(briefing))
    doc = Document()
    doc.load(str(path))
    assert not doc.disk_differs()
