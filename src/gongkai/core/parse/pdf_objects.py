"""A PDF page's characters and ruling lines read by PDFium, in pdfplumber's shape.

pdfplumber finds tables and lines of text from a page's ``objects`` (chars, lines, rects,
curves), which it builds by interpreting the page's content stream with pdfminer: about a
tenth of a second per page of a Word-made report, most of the time of a PDF audit. PDFium
(pypdfium2) has already interpreted the page, in C. :func:`page_objects` reads the same objects
from PDFium — each character's box computed as pdfminer computes it (origin, advance, font
descent, one em high), each path split
into lines, rectangles and curves by pdfminer's own rules — so that pdfplumber's table finder
and text extraction run unchanged on them (tests/parse/test_pdf_objects.py holds both readings
of every corpus PDF side by side).

A page stored turned and shown upright by its ``/Rotate`` (a landscape section Word prints as a
portrait page turned a quarter) is first turned upright in memory, as pdfminer turns it
(:func:`upright_textpage`), so that its characters and lines are where the reader sees them.

A page this reader is not sure to read as pdfminer would (a page box not at the origin, form
XObjects, rotated or skewed text) gives ``None``, and the caller lets pdfminer read it.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import re
from typing import Any

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
from pdfplumber.utils.text import extract_text

Objects = dict[str, list[dict[str, Any]]]

_LINETO = pdfium_c.FPDF_SEGMENT_LINETO
_BEZIERTO = pdfium_c.FPDF_SEGMENT_BEZIERTO
_MOVETO = pdfium_c.FPDF_SEGMENT_MOVETO
_SUBPATH = re.compile(r"m[^m]+")


def upright_textpage(page: Any) -> Any | None:
    """The page's text page read as the page is displayed, its objects turned upright first;
    ``None`` (nothing turned) when the page box is not at the origin, as pdfminer shifts it.

    PDFium gives the objects' places in the page's own space: on a page stored turned and shown
    upright by its ``/Rotate`` (90, 180 or 270), a line of text runs up the page, each
    character's loose box is a point, and a table stands on its side. pdfminer draws such a
    page through the turn the viewer applies (``PDFPageInterpreter.process_page``); the same
    turn is applied here to every page object in memory (the file is not changed), and the
    page is said unrotated while its text page is loaded, for PDFium orders the characters in
    the direction the page is shown (a page turned 180° would read backwards). Its ``/Rotate``
    is then put back (its boxes are left as stored: the text read is the same either way, with
    a crop box or without, tests/parse/test_pdf_rotated.py); its objects stay turned, so the
    caller must not draw or read the page again as stored.
    """
    left, bottom, right, top = page.get_mediabox()
    if left or bottom:
        return None
    rotation = page.get_rotation() % 360
    matrix = _turn(rotation, right, top)
    if matrix is None:
        return page.get_textpage()
    raw = page.raw
    for index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        pdfium_c.FPDFPageObj_Transform(pdfium_c.FPDFPage_GetObject(raw, index), *matrix)
    pdfium_c.FPDFPage_SetRotation(raw, 0)
    try:
        return page.get_textpage()
    finally:
        pdfium_c.FPDFPage_SetRotation(raw, rotation // 90)


def _turn(rotation: int, width: float, height: float) -> tuple[float, ...] | None:
    """pdfminer's turn of a page shown rotated, from the page's own space (a media box of
    ``width`` × ``height`` at the origin) to the page as displayed; ``None`` for no turn."""
    turns: dict[int, tuple[float, ...]] = {
        90: (0, -1, 1, 0, 0, width),
        180: (-1, 0, 0, -1, width, height),
        270: (0, 1, -1, 0, height, 0),
    }
    return turns.get(rotation)


def page_objects(page: Any, *, page_number: int, doctop: float) -> Objects | None:
    """The page's chars, lines, rects and curves as pdfplumber's ``Page.objects`` has them.

    A rotated page is turned upright in memory (:func:`upright_textpage`), as pdfminer reads
    it; the caller must not read the page object again as stored.
    """
    height = page.get_height()  # as displayed: PDFium swaps the sides of a quarter-turned page
    textpage = upright_textpage(page)
    if textpage is None:
        return None
    try:
        objects: Objects = {"char": [], "line": [], "rect": [], "curve": []}
        raw_page = page.raw
        for index in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
            obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                return None
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                _add_path(objects, obj, height=height, page_number=page_number, doctop=doctop)
        chars = _chars(textpage, height=height, page_number=page_number, doctop=doctop)
    finally:
        textpage.close()
    if chars is None:
        return None
    objects["char"] = chars
    return {kind: found for kind, found in objects.items() if found}


def _chars(
    textpage: Any, *, height: float, page_number: int, doctop: float
) -> list[dict[str, Any]] | None:
    raw = textpage.raw
    matrix = pdfium_c.FS_MATRIX()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    width = ctypes.c_float()
    box = pdfium_c.FS_RECTF()
    vertical_fonts: dict[int, bool] = {}
    out: list[dict[str, Any]] = []
    for index in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(raw, index):
            continue
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        if not pdfium_c.FPDFText_GetMatrix(raw, index, matrix):
            return None
        a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        if b or c or a <= 0 or d <= 0:
            return None  # rotated, skewed or mirrored text: pdfminer reads it
        # The matrix is the text object's; a glyph's own place is its origin.
        if not pdfium_c.FPDFText_GetCharOrigin(raw, index, origin_x, origin_y):
            return None
        e, f = origin_x.value, origin_y.value
        size = pdfium_c.FPDFText_GetFontSize(raw, index)
        textobj = pdfium_c.FPDFText_GetTextObject(raw, index)
        font = pdfium_c.FPDFTextObj_GetFont(textobj) if textobj else None
        key = ctypes.cast(font, ctypes.c_void_p).value or 0 if font else 0
        vertical = vertical_fonts.get(key)
        if vertical is None:
            # PDFium gives a vertical font's glyphs a negative (downward) width.
            vertical = bool(
                font
                and pdfium_c.FPDFFont_GetGlyphWidth(font, code, ctypes.c_float(1000.0), width)
                and width.value < 0
            )
            vertical_fonts[key] = vertical
        a, d = round(a, 6), round(d, 6)
        e, f = round(e, 4), round(f, 4)
        if vertical:
            # PDFium's origin of a vertical glyph is the lower left corner of its box.
            x0, y0 = e, f
            x1, y1 = x0 + a * size, y0 + d * size
            adv = -size
            char_size = x1 - x0
        else:
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, box):
                return None
            x0, x1, y0 = e, round(box.right, 4), round(box.bottom, 4)
            y1 = y0 + d * size
            adv = (x1 - x0) / a
            char_size = y1 - y0
        # A glyph PDFium cannot map to a character (its font has no ToUnicode) gives its glyph
        # number as the code: U+FFFD says so (pdf.undecoded_glyphs counts them).
        unmapped = pdfium_c.FPDFText_HasUnicodeMapError(raw, index) == 1
        text = chr(code) if 0 < code < 0x110000 and not unmapped else "\ufffd"
        out.append(
            char_object(
                text,
                box=(x0, y0, x1, y1),
                size=char_size,
                adv=adv,
                matrix=(a, 0.0, 0.0, d, e, f),
                height=height,
                page_number=page_number,
                doctop=doctop,
            )
        )
    # Characters beyond the BMP come as surrogate pairs in PDFium's text.
    for char in out:
        if 0xD800 <= ord(char["text"]) <= 0xDFFF:
            return None
    return out


def char_object(
    text: str,
    *,
    box: tuple[float, float, float, float],
    size: float,
    adv: float,
    matrix: tuple[float, ...],
    height: float,
    page_number: int,
    doctop: float,
) -> dict[str, Any]:
    """One character as pdfplumber's ``Page.objects["char"]`` holds it: ``box`` is
    (x0, y0, x1, y1) in PDF space (y up) on a page ``height`` high."""
    x0, y0, x1, y1 = box
    return {
        "matrix": matrix,
        "fontname": "",
        "adv": adv,
        "upright": True,
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "size": size,
        "mcid": None,
        "tag": None,
        "object_type": "char",
        "page_number": page_number,
        "text": text,
        "top": height - y1,
        "bottom": height - y0,
        "doctop": doctop + height - y1,
    }


def _add_path(
    objects: Objects, obj: Any, *, height: float, page_number: int, doctop: float
) -> None:
    raw = obj
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(raw, matrix)
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(raw, fill_mode, stroke)
    line_width = ctypes.c_float()
    pdfium_c.FPDFPageObj_GetStrokeWidth(raw, line_width)
    x, y = ctypes.c_float(), ctypes.c_float()
    ops: list[tuple[str, tuple[float, float]]] = []
    bezier = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(raw, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        px, py = round(x.value, 4), round(y.value, 4)
        point = (a * px + c * py + e, b * px + d * py + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == _MOVETO:
            ops.append(("m", point))
        elif kind == _LINETO:
            ops.append(("l", point))
        elif kind == _BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # two control points, then the end point
                ops.append(("c", point))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            ops.append(("h", point))
    common = {
        "linewidth": line_width.value,
        "stroke": bool(stroke.value),
        "fill": fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE,
        "evenodd": fill_mode.value == pdfium_c.FPDF_FILLMODE_ALTERNATE,
        "mcid": None,
        "tag": None,
        "page_number": page_number,
        "dash": None,
    }
    shape = "".join(op for op, _ in ops)
    if not shape.startswith("m"):
        return  # pdfminer draws nothing for a path that does not begin with a move
    for found in _SUBPATH.finditer(shape):
        add_subpath(objects, ops[found.start() : found.end()], common, height, doctop)


def add_subpath(
    objects: Objects,
    ops: list[tuple[str, tuple[float, float]]],
    common: dict[str, Any],
    height: float,
    doctop: float,
) -> None:
    """One subpath as pdfminer's paint_path classifies it: a line, a rectangle or a curve."""
    shape = "".join(op for op, _ in ops)
    pts = [point if op != "h" else ops[0][1] for op, point in ops]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    kind = "curve"
    if shape in {"mlh", "ml"}:
        kind = "line"
        pts = pts[:2]
    elif shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            kind = "rect"
            (x0, y0), (x1, y1) = pts[0], pts[2]
            pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    objects[kind].append(
        {
            "x0": x0,
            "y0": y0,
            "x1": x1,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "pts": [(px, height - py) for px, py in pts],
            **common,
            "object_type": kind,
            "top": height - y1,
            "bottom": height - y0,
            "doctop": doctop + height - y1,
        }
    )


def plumber_page(plumber: Any, pdf_page: Any, index: int) -> Any:
    """pdfplumber's page ``index``, its objects read by PDFium (from ``pdf_page``, the same
    page already loaded by PDFium) where that is safe."""
    page = plumber.pages[index]
    found = page_objects(pdf_page, page_number=page.page_number, doctop=page.initial_doctop)
    if found is not None:
        page._objects = found
    return page


def extract_table(table: Any) -> list[list[str | None]]:
    """``table.extract()``, the same cells, without testing every character of the page
    against every row of the table.

    pdfplumber's ``Table.extract`` scans all the page's characters once per row; on a page a
    frame turns into one "table" of its text lines, that is most of the time of the page. Here
    the characters are sorted by their vertical middle once, each row takes the ones whose
    middle falls in it by bisection, and then exactly pdfplumber's test and text extraction
    run on them in page order.
    """
    chars = table.page.chars
    middles = sorted(
        ((char["top"] + char["bottom"]) / 2, index) for index, char in enumerate(chars)
    )
    keys = [middle for middle, _ in middles]
    out: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        candidates = middles[bisect.bisect_left(keys, top) : bisect.bisect_left(keys, bottom)]
        row_chars = [chars[index] for _, index in sorted(candidates, key=lambda m: m[1])]
        row_chars = [c for c in row_chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1]
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            left, cell_top, right, cell_bottom = cell
            inside = [
                c
                for c in row_chars
                if left <= (c["x0"] + c["x1"]) / 2 < right
                and cell_top <= (c["top"] + c["bottom"]) / 2 < cell_bottom
            ]
            text = extract_text(inside) if inside else ""
            if "\n" in text and _wrapped_number(text, inside, left, right):
                text = text.replace("\n", "")
            cells.append(text)
        out.append(cells)
    return out


def _wrapped_number(text: str, chars: list[dict[str, Any]], left: float, right: float) -> bool:
    """Whether a cell's lines of digits are one number wrapped by a narrow column (「21」 over
    「7」 is 217), not numbers of rows that share a cell because a rule is missing: each line
    but the last is full, the next line's first digit would not have fitted beside it."""
    lines = text.split("\n")
    if not all(line.isdigit() and line.isascii() for line in lines):
        return False
    rows: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if rows and abs(char["top"] - rows[-1][0]["top"]) < char["height"] / 2:
            rows[-1].append(char)
        else:
            rows.append([char])
    if len(rows) != len(lines):
        return False
    padding = max(min(row[0]["x0"] for row in rows) - left, 0.0)
    room = right - left - 2 * padding
    for row, following in itertools.pairwise(rows):
        width = row[-1]["x1"] - row[0]["x0"]
        if width + following[0]["width"] <= room + 0.5:
            return False
    return True
