# Two commands: `make run` opens the bundled briefing, `make test` runs the whole suite.
# Both create .venv when it is missing or older than pyproject.toml.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTHON ?= python3

.PHONY: run test install-desktop bench clean

run: $(STAMP)
	$(VENV)/bin/briefing-app $(FILE)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

$(STAMP): pyproject.toml
	@sh tools/ensure-system.sh
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# Put the .desktop entry and the icon into the user's menu (freedesktop paths).
install-desktop: $(STAMP)
	install -D -m 644 resources/briefing-app.desktop $(HOME)/.local/share/applications/briefing-app.desktop
	sed -i 's|^Exec=briefing-app|Exec=$(abspath $(VENV))/bin/briefing-app|' $(HOME)/.local/share/applications/briefing-app.desktop
	install -D -m 644 resources/icons/briefing.svg $(HOME)/.local/share/icons/hicolor/scalable/apps/briefing-app.svg
	-update-desktop-database $(HOME)/.local/share/applications 2>/dev/null

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
