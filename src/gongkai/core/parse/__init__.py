"""Parsers: published annual reports → :class:`~gongkai.core.model.AnnualReport`.

Every front end returns a :class:`ParseResult` (the report or None, the narrative by section,
the metadata found, and a :class:`ParseProblem` for everything that could not be read).

- :func:`parse_text` — plain text, as copied from a page or saved by a crawler.
- :func:`.dispatch.parse_document` — any published form, chosen by the bytes: text,
  :mod:`.html`, :mod:`.docx`, :mod:`.pdf`, and :mod:`.legacy` .doc/.wps through LibreOffice
  (imported from their modules, so that reading text never loads the PDF and Word libraries).
- :mod:`.document` — what the HTML, DOCX and PDF front ends share: paragraphs and grids.
- :mod:`.grid` — rows of cell strings → table cells; for HTML/DOCX/PDF front ends.
- :mod:`.labels` — label normalisation and matching against the format declarations.
- :mod:`.flat` — cells recovered from digits run together, by the table's arithmetic.
- :mod:`.meta`, :mod:`.sections` — metadata and the six sections.
"""

from gongkai.core.parse.grid import read_table, read_tables
from gongkai.core.parse.result import DetectedMeta, ParseProblem, ParseResult
from gongkai.core.parse.text import parse_text

__all__ = [
    "DetectedMeta",
    "ParseProblem",
    "ParseResult",
    "parse_text",
    "read_table",
    "read_tables",
]
