"""The district's monthly summary for the platform (projections/summary.py)."""
