"""Monitoring: Prometheus exposition of the app's services (request metrics land here with issue 4)."""
