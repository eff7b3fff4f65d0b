"""API keys and roles; input limits."""
