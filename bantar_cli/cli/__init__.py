"""The thin typer layer: parse options, load through ``io``, compute in ``core``, render."""
