"""村务公开: the monthly (or quarterly) disclosure of a village collective's finances, reviewed
by its democratic finance group (民主理财小组) before publication (docs/disclosure.md)."""
