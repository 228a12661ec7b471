"""The dashboard (大屏) of a district or a town over a run of months (docs/dashboard.md)."""
