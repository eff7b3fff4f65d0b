#!/usr/bin/env python3
"""Load-test the Marketing Project API: `python run_load_test.py --url http://localhost:8000 --test basic`.

A thin shim over `marketing_project.performance.load_testing.cli` (same as `marketing-project loadtest`).
"""

from __future__ import annotations

import sys

from marketing_project.performance.load_testing.cli import main

if __name__ == "__main__":
    sys.exit(main())
