"""The operator's refusals: backups and restores of the database (qianwan/backup.py)."""
