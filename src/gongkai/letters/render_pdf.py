"""A letter as PDF through WeasyPrint, with the Noto CJK fonts embedded.

Debian's ``fonts-noto-cjk`` provides Noto Serif CJK SC, which WeasyPrint finds through
fontconfig and embeds as a subset, so the PDF shows the same glyphs on a PC without Chinese
fonts. Text is HTML-escaped here: a template's output is plain text, never markup.
"""

from __future__ import annotations

import html

from weasyprint import HTML  # type: ignore[import-untyped]

from gongkai.letters.document import Layout, LetterDocument

PDF_FONT_FAMILY = "Noto Serif CJK SC"

_CSS = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
body {{ font-family: "{PDF_FONT_FAMILY}", serif; font-size: 16pt; line-height: 28pt; }}
p {{ margin: 0; text-align: justify; }}
p.title {{ font-size: 22pt; line-height: 36pt; font-weight: bold; text-align: center;
           margin-bottom: 28pt; }}
p.body {{ text-indent: 2em; }}
p.center {{ text-align: center; margin-bottom: 14pt; }}
/* The seal's place (GB/T 9704 7.3.5.1): set in four characters, two blank lines above. */
p.right {{ text-align: right; margin-right: 4em; }}
p.right.first {{ margin-top: 56pt; }}
"""


def letter_html(letter: LetterDocument) -> str:
    parts = []
    first_signature = True
    for paragraph in letter.paragraphs:
        css = paragraph.layout.value
        if paragraph.layout is Layout.RIGHT and first_signature:
            css += " first"
            first_signature = False
        parts.append(f'<p class="{css}">{html.escape(paragraph.text)}</p>')
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(letter.title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def render_pdf(letter: LetterDocument, *, author: str) -> bytes:
    """The letter as PDF bytes (A4), fonts embedded; ``author`` goes into the metadata."""
    document = HTML(string=letter_html(letter)).render()
    document.metadata.authors = [author]
    document.metadata.title = letter.title
    pdf: bytes = document.write_pdf()
    return pdf
