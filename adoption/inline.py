"""Figures that show themselves: in a notebook, as a script's file, in a report.

`InlineFigure` is a Matplotlib figure with a `_repr_png_`, so that a notebook cell
whose last value is a figure shows the picture, whatever Matplotlib backend the kernel
runs (without pyplot's inline integration a plain `Figure` shows as
``<Figure size ... with 1 Axes>``). Every figure of the package is made with it.
"""

from __future__ import annotations

import base64
import io

from matplotlib.figure import Figure


class InlineFigure(Figure):
    """A Matplotlib figure that displays itself as a PNG in notebooks."""

    def png(self) -> bytes:
        """The figure as PNG bytes."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png")
        return buffer.getvalue()

    def data_uri(self) -> str:
        """The figure as a `data:` URI, for an <img> in a self-contained page."""
        return "data:image/png;base64," + base64.b64encode(self.png()).decode()

    def _repr_png_(self) -> bytes:
        return self.png()
