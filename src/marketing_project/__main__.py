from __future__ import annotations

from marketing_project.cli import main

raise SystemExit(main())
