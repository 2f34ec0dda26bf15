#!/bin/sh
# Check that this Debian machine has what python3 -m venv and Qt need; install the
# missing packages when run as root, otherwise print the exact apt-get line and fail.
set -u
missing=""
python3 -c 'import ensurepip, venv' 2>/dev/null || missing="$missing python3-venv"
for pair in libEGL.so.1:libegl1 libGL.so.1:libgl1 libxkbcommon.so.0:libxkbcommon0 \
            libfontconfig.so.1:libfontconfig1 libglib-2.0.so.0:libglib2.0-0 libdbus-1.so.3:libdbus-1-3; do
    lib=${pair%%:*} pkg=${pair#*:}
    /sbin/ldconfig -p 2>/dev/null | grep -q "$lib " || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing missing system packages:$missing"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing && exit 0
    echo "apt-get failed" >&2; exit 1
fi
echo "Missing system packages. Run:" >&2
echo "    sudo apt-get install -y$missing" >&2
exit 1
