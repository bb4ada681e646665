"""Makes the repository importable (`bots`, `fixtures`) for these tests."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:  # neither package is installed into the venv
    sys.path.insert(0, str(REPO_ROOT))
