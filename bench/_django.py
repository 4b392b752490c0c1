"""Set up Django for a benchmark script run as `python bench/NAME.py` (dev settings, dev DB)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings.dev")

import django  # noqa: E402

django.setup()
