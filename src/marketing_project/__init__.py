"""Marketing Project API: store and analyze marketing content, fast and observable."""

from __future__ import annotations

__version__ = "0.1.0"
