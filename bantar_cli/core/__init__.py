"""The pure scoring core: DataFrames in, new DataFrames and dataclasses out. No files, no printing."""
