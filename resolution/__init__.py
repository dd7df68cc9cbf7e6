"""Entity resolution: who is who across the departments' mentions (plain Python, no Dagster)."""
