"""Writing a rendered document: its self-contained HTML, and the PDF WeasyPrint makes of it. One step for
every document vrhub writes (the Strategic Needs Assessment, the steering group pack), so each is written,
kept private and rendered to PDF alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Document:
    html: Path
    pdf: Path | None


def write_document(html: str, path: Path, pdf: bool = True) -> Document:
    """Write `html` to `path` (an .html file) and, with `pdf`, its PDF beside it under the same name.
    The folder is made for its owner alone: the documents carry partnership figures."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text(html, encoding="utf-8")
    if not pdf:
        return Document(path, None)
    import weasyprint  # seconds to import, and only a PDF needs it

    pdf_path = path.with_suffix(".pdf")
    # Relative links (none today: the HTML is self-contained) resolve against the document's own folder.
    weasyprint.HTML(string=html, base_url=str(path.parent)).write_pdf(pdf_path)
    return Document(path, pdf_path)
