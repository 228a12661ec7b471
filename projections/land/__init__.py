"""Land entering the market (入市): the parcel register, the proceeds ledger per parcel and the
payments behind it (tables.py, projection.py), and the district view (queries.py)."""
