"""Who is asking and what they may do: API tokens (authenticate.py), the permissions declared
on fields and mutations (permissions.py), and the middleware that enforces them (middleware.py).
"""
