# Two entry points: `make demo` and `make test`. Both create or update .venv from uv.lock.
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test sync lock clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

sync: | $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet

demo: sync
	$(VENV)/bin/dkpi demo

test: sync
	$(VENV)/bin/python -m pytest

lock: | $(UV)
	$(UV) lock --python $(PYTHON)

clean:
	rm -rf $(VENV) .tools .pytest_cache warehouse/*.duckdb warehouse/*.duckdb.wal
