"""bantar: score and rank the entrants of a community competition from spreadsheet assessments."""

__version__ = "0.1.0"

__all__ = ["__version__", "bundled_criteria", "load_criteria", "read_assessment", "score"]


def __getattr__(name: str):  # lazy, so `bantar --help` never imports pandas
    if name == "load_criteria":
        from .io.criteria import load_criteria

        return load_criteria
    if name == "bundled_criteria":
        from .io.bundled import bundled_criteria

        return bundled_criteria
    if name == "read_assessment":
        from .io.workbook import read_assessment

        return read_assessment
    if name == "score":
        from .core.score import score

        return score
    raise AttributeError(name)
