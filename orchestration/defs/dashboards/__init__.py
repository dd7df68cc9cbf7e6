"""Dashboard assets: one per Superset dashboard kept as code under ``dashboards/``."""
