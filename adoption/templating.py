"""HTML from templates that escape everything they show.

Names and descriptions come from scenario files a user or an upload supplies: they
reach a page as text, never as markup (Jinja2 with autoescaping). A fragment the
package itself wrote as HTML (a verdict whose names it has already escaped) is passed
in as `Markup`.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("adoption", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context: Any) -> str:
    """The named template rendered with `context`, every value escaped."""
    return ENVIRONMENT.get_template(template).render(**context)


__all__ = ["Markup", "render"]
