"""A non-editable install carries events.json and resources/ (an editable one would hide it)."""

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import os, sys
from pathlib import Path
import briefing_app, briefing_app.paths as paths
pkg = Path(briefing_app.__file__).resolve().parent
assert str(pkg).startswith(sys.prefix), pkg          # the installed copy, not the checkout
assert paths.bundled_briefing().is_relative_to(pkg), paths.bundled_briefing()
assert paths.resource("fonts", "DejaVuSans.ttf").is_file()
assert paths.resource("icons", "briefing.svg").is_file()
from briefing_app.app import create_application, create_window
app = create_application()
window = create_window()
window.show()
app.processEvents()
assert window.model.rowCount() >= 12, window.model.rowCount()
print("OK", window.windowTitle())
"""


@pytest.mark.slow
def test_wheel_installs_and_opens_the_bundled_briefing_headless(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, timeout=300)
    wheel = next(dist.glob("briefing_app-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # Dependencies come from this test environment (no download); the project itself only
    # from the wheel: a plain path entry does not run the checkout's editable .pth hook.
    Path(site, "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q",
                    "--target", site, str(wheel)], check=True, timeout=300)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([python, "-c", CHECK], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("OK ")
