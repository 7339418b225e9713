"""What every capability shares: settings, reading untrusted files, URLs, ids, package names, the one process runner,
the handler base and the route table.
"""
