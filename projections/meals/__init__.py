"""Read models of meal assistance: meal points, elders (sealed personal data only), the meal
register, uploads and refused records, settlements; findings for auditors are queries over them.

tables.py: the tables; projection.py: the handlers; queries.py and findings.py: reading.
"""
