"""``bantar criteria check``: is a criteria file valid, and what does it say?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .edge import guard
from .options import DebugOpt, Lang, LangOpt

app = typer.Typer(help="Work with criteria files.", no_args_is_help=True)


@app.command("check")
@guard
def check(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="The criteria YAML file.")],
    lang: LangOpt = Lang.id,
    debug: DebugOpt = False,
) -> None:
    """Check a criteria file and list every problem with its line.

    Example: bantar criteria check criteria/bantar.yaml
    """
    from ..errors import BantarError
    from ..io.criteria import check_criteria
    from ..render.labels import label
    from .edge import stdout

    crit, problems = check_criteria(file)
    if problems:
        raise BantarError.from_problems(problems, shown=len(problems))
    assert crit is not None
    out = stdout()
    weights = crit.effective_weights()
    out.print(f"{file}: {label('valid', lang.value)} — {crit.name} {crit.version}, "
              f"{len(crit.pillars)} {label('pillars', lang.value)}, "
              f"{len(crit.indicators)} {label('indicators', lang.value)}")
    for p in crit.pillars:
        share = sum(weights[i.key] for i in p.indicators)
        out.print(f"  {p.key:<10} {p.title(lang.value):<12} {share:6.1%}")
        for i in p.indicators:
            rng = f"[{i.range[0]:g}, {i.range[1]:g}]" if i.range else ""
            out.print(f"    {i.key:<22} {weights[i.key]:6.1%}  {i.direction.value:<6} "
                      f"{i.normalize.value:<8} {rng}")
