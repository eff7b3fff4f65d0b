"""Version of the analysis rules, stored with every result so old analyses can be told apart."""

from __future__ import annotations

# Bump whenever a change can alter any figure of a result for the same input.
ANALYZER_VERSION = "1.0.0"
