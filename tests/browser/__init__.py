from pathlib import Path

# Each browser test's last page, saved by the ``page`` fixture; emptied at the start of a
# run by tests/conftest.py (``pytest_sessionstart``).
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
