"""The templates of `styles/templates/` (Jinja2), as the print HTML (`writers/html.py`) and
the screens (`screen/render.py`) render them: a broken one is a content error naming its
file and line; CSS string and font-family values for them.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from ..support.errors import ContentError

__all__ = ["css_families", "css_string", "render_template_checked"]


def css_string(value: str) -> Markup:
    """A CSS string literal: quoted, with quotes, backslashes and line ends escaped."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\\n\r\f<>' else ch for ch in value)
    return Markup(f'"{escaped}"')


def css_families(families) -> Markup:
    return Markup(", ".join(css_string(f) for f in families))


def render_template_checked(env: jinja2.Environment, name: str, where: str = "", **context) -> str:
    """Render a template of styles/templates/; a broken or missing one is a content error
    naming the template file and line (styles are the project's own, editable files).
    `where`: said after a missing template's name (the folder it was looked for in)."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        shown = exc.name or (Path(exc.filename).name if exc.filename else name)
        raise ContentError(
            f"template syntax: {exc.message}",
            path=f"styles/templates/{shown}",
            line=exc.lineno or 0,
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise ContentError(
            f"template {exc.name!r} not found{where}", path=f"styles/templates/{name}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise ContentError(
            f"template uses something undefined: {exc.message}", path=f"styles/templates/{name}"
        ) from None
