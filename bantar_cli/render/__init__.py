"""Presenting results: rich tables, JSON and CSV, Excel workbooks. Nothing here recomputes."""
