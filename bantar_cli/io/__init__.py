"""Files, sheets, cells and YAML lines: the only layer that knows about them."""
