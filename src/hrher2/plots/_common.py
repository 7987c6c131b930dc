"""Shared drawing helpers: PNG export and an accessible HTML <figure> with alt text and caption."""
from __future__ import annotations

import base64
import html
import io

from matplotlib.figure import Figure

__all__ = ["figure_to_png", "figure_html", "wrap", "show"]

def wrap(text: str, width: int = 18) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)

def figure_to_png(fig: Figure, dpi: int = 100) -> bytes:
    """PNG bytes of a figure (deterministic: no timestamp metadata)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()

def figure_html(fig: Figure, alt: str, caption: str = "") -> str:
    """An HTML <figure> holding the PNG with its alt text and caption: readable in JupyterLab and on a static page."""
    data = base64.b64encode(figure_to_png(fig)).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure style="margin:0"><img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            f'style="max-width:100%;height:auto">{cap}</figure>')



def show(fig: Figure, alt: str, caption: str = ""):
    """Display a figure in a notebook as an accessible <figure> (alt text + caption), in JupyterLab and in the book."""
    from IPython.display import HTML

    return HTML(figure_html(fig, alt, caption))
