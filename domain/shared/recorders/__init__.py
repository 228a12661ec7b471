"""The recorders the event store writes through: eventsourcing's SQLite and PostgreSQL
recorders, made to sign every write transaction (``signing``), to keep notification ids stable
(``sqlite``), to insert a save's events from plain arrays (``postgres``), and the direct reads
the store makes of them (``lookups``). The store picks one by its topic (qianwan/settings.py,
``POSTGRES_RECORDER_TOPIC``); the topics name the modules here.
"""
