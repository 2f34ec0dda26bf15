"""Guard against PySide6 6.12.0 on Python 3.11 aborting after ~5,000 None-returning calls."""

import os
import subprocess
import sys
from importlib.metadata import version

CODE = """
from PySide6.QtGui import QGuiApplication, QImage, QPainter
app = QGuiApplication([])
image = QImage(64, 64, QImage.Format.Format_ARGB32)
painter = QPainter(image)
for i in range(50_000):
    painter.drawRect(i % 60, 0, 3, 3)   # returns None: the call that leaked a reference
painter.end()
print("survived")
"""


def test_fifty_thousand_none_returning_qt_calls_do_not_abort():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "survived"


def test_the_installed_pyside6_respects_the_pin():
    installed = tuple(int(x) for x in version("PySide6-Essentials").split(".")[:2])
    if sys.version_info < (3, 12):
        assert installed < (6, 12)
