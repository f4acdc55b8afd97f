"""What users write, in one workspace file apart from the ledger (stores.workspace).

Imports only core, duckdb, pandas and the standard library.
"""
