"""Make the repository root importable, for the fixture generator (``fixtures.make_claims``).

bots is installed into the venv, fixtures is not; pyproject's ``pythonpath = ["."]`` would do
the same for every test.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[3])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
