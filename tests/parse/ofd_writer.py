"""OFD files written from PDFs, as the converters that offices use write them.

An office's OFD is most often printed from the same Word file as its PDF (by 数科, 福昕 or
the 书生 printer driver), so the tests read an OFD laid out as a real PDF report is: each
line of characters as one text object with one ``TextCode`` and its advances (``DeltaX``,
runs of equal advances as 「g n d」), each rule and cell border as a path, in millimetres from
the page's top left. ``scaled`` writes the text as some converters do, at size 1 scaled up by
the object's ``CTM``; ``templated`` puts the page's rules in a template page behind it;
``single`` writes each character as a text object of its own; ``vertical`` writes the
characters that stand one under another, each alone on its line (a label printed vertically,
a column of one-digit cells), as one run down the page (``DeltaY``). The PDF's pictures are
image objects of the same size (without the image itself, which the reader does not open).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from itertools import groupby, pairwise
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pdfplumber

MM = 25.4 / 72  # millimetres per point
NS = "http://www.ofdspec.org/2016"


def _mm(value: float) -> str:
    return f"{value * MM:.3f}".rstrip("0").rstrip(".")


def _advances(chars: list[dict[str, Any]], scale: float = 1.0) -> str:
    """DeltaX of a run: each character's advance to the next (in millimetres over ``scale``),
    equal ones as 「g n d」."""
    steps = [f"{(b['x0'] - a['x0']) * MM / scale:.4f}" for a, b in pairwise(chars)]
    out: list[str] = []
    for step, same in groupby(steps):
        count = len(list(same))
        out.append(f"g {count} {step}" if count > 2 else " ".join([step] * count))
    return " ".join(out)


def _lines(chars: list[dict[str, Any]], single: bool) -> Iterator[list[dict[str, Any]]]:
    """Runs of characters on one baseline, left to right, broken where a gap opens (a cell's
    border) as a converter writes one text object per run; or (``single``) one run for each
    character, as others write them."""
    ordered = sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"]))
    if single:
        yield from ([char] for char in ordered)
        return
    run: list[dict[str, Any]] = []
    for char in ordered:
        if run and (
            round(char["bottom"], 1) != round(run[-1]["bottom"], 1)
            or char["x0"] - run[-1]["x1"] > char["size"]
        ):
            yield run
            run = []
        run.append(char)
    if run:
        yield run


def _stacked(runs: list[list[dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    """The runs, with those of one character that stand under one another (the same size, a
    point apart across at most, at most two ems down) joined into runs down the page."""
    alone = sorted(
        (run[0] for run in runs if len(run) == 1),
        key=lambda c: (round(c["x0"]), c["size"], c["top"]),
    )
    column: list[dict[str, Any]] = []
    for char in alone:
        if column and not (
            abs(char["x0"] - column[-1]["x0"]) <= 1
            and char["size"] == column[-1]["size"]
            and 0 < char["top"] - column[-1]["top"] <= 2 * char["size"]
        ):
            yield column
            column = []
        column.append(char)
    if column:
        yield column
    yield from (run for run in runs if len(run) > 1)


def _downs(chars: list[dict[str, Any]], scale: float = 1.0) -> str:
    """DeltaY of a run down the page: each character's baseline to the next one's."""
    return " ".join(
        f"{(a['matrix'][5] - b['matrix'][5]) * MM / scale:.4f}" for a, b in pairwise(chars)
    )


def _text_objects(
    chars: list[dict[str, Any]], height: float, scaled: bool, single: bool, vertical: bool
) -> Iterator[str]:
    runs = list(_lines(chars, single))
    if vertical:
        runs = list(_stacked(runs))
    for ident, run in enumerate(runs, start=1):
        down = vertical and len(run) > 1 and run[1]["top"] > run[0]["top"]
        size = run[0]["size"]
        left = run[0]["x0"]
        top = min(c["top"] for c in run)
        right = max(c["x1"] for c in run)
        baseline = height - run[0]["matrix"][5] - top  # below the object's top
        text = escape("".join(c["text"] for c in run))
        box = f"{_mm(left)} {_mm(top)} {_mm(right - left)} {_mm(size)}"
        if down:
            # A run down the page: its object as high as the run, each character moved down
            # by DeltaY, and across by DeltaX only where it stands apart from the one above.
            bottom = max(c["bottom"] for c in run)
            box = f"{_mm(left)} {_mm(top)} {_mm(right - left)} {_mm(bottom - top)}"
            across = ""
            if any(abs(c["x0"] - left) > 0.001 for c in run):
                across = f' DeltaX="{_advances(run)}"'
            yield (
                f'<ofd:TextObject ID="t{ident}" Boundary="{box}" Font="1" Size="{_mm(size)}">'
                f'<ofd:TextCode X="0" Y="{_mm(baseline)}"{across} DeltaY="{_downs(run)}">'
                f"{text}</ofd:TextCode></ofd:TextObject>"
            )
        elif scaled:
            # Size 1, the CTM scaling each coordinate by the size (DeltaX, X and Y too).
            s = size * MM
            code = _advances(run, scale=s)
            yield (
                f'<ofd:TextObject ID="t{ident}" Boundary="{box}" Font="1" Size="1" '
                f'CTM="{s:.4f} 0 0 {s:.4f} 0 0">'
                f'<ofd:TextCode X="0" Y="{baseline * MM / s:.4f}" DeltaX="{code}">{text}'
                "</ofd:TextCode></ofd:TextObject>"
            )
        else:
            yield (
                f'<ofd:TextObject ID="t{ident}" Boundary="{box}" Font="1" Size="{_mm(size)}">'
                f'<ofd:TextCode X="0" Y="{_mm(baseline)}" DeltaX="{_advances(run)}">{text}'
                "</ofd:TextCode></ofd:TextObject>"
            )


def _path_objects(page: Any) -> Iterator[str]:
    for ident, shape in enumerate([*page.lines, *page.rects], start=1):
        x0, top, x1, bottom = shape["x0"], shape["top"], shape["x1"], shape["bottom"]
        box = f"{_mm(x0)} {_mm(top)} {_mm(x1 - x0)} {_mm(bottom - top)}"
        w, h = _mm(x1 - x0), _mm(bottom - top)
        if shape["object_type"] == "line":
            data = f"M 0 0 L {w} {h}"
        else:
            data = f"M 0 0 L {w} 0 L {w} {h} L 0 {h} C"
        fill = "true" if shape.get("fill") else "false"
        stroke = "true" if shape.get("stroke") else "false"
        width = _mm(shape.get("linewidth") or 0.5)
        yield (
            f'<ofd:PathObject ID="p{ident}" Boundary="{box}" LineWidth="{width}" '
            f'Fill="{fill}" Stroke="{stroke}"><ofd:AbbreviatedData>{data}'
            "</ofd:AbbreviatedData></ofd:PathObject>"
        )


def _image_objects(page: Any) -> Iterator[str]:
    for ident, image in enumerate(page.images, start=1):
        x0, top, x1, bottom = image["x0"], image["top"], image["x1"], image["bottom"]
        box = f"{_mm(x0)} {_mm(top)} {_mm(x1 - x0)} {_mm(bottom - top)}"
        yield f'<ofd:ImageObject ID="i{ident}" Boundary="{box}" ResourceID="9"/>'


def _content(objects: Iterator[str]) -> bytes:
    body = "".join(objects)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
        f'<ofd:Layer ID="1">{body}</ofd:Layer></ofd:Content></ofd:Page>'
    ).encode()


def ofd_from_pdf(
    data: bytes,
    *,
    scaled: bool = False,
    templated: bool = False,
    single: bool = False,
    vertical: bool = False,
) -> bytes:
    """The OFD an office's converter makes of the document this PDF was printed from."""
    members: dict[str, bytes] = {}
    pages: list[str] = []
    templates: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        width, height = pdf.pages[0].width, pdf.pages[0].height
        for index, page in enumerate(pdf.pages):
            texts = list(_image_objects(page))
            texts += _text_objects(page.chars, page.height, scaled, single, vertical)
            paths = list(_path_objects(page))
            template = ""
            if templated:
                members[f"Doc_0/Tpls/Tpl_{index}/Content.xml"] = _content(iter(paths))
                templates.append(
                    f'<ofd:TemplatePage ID="{100 + index}" BaseLoc="Tpls/Tpl_{index}/Content.xml"/>'
                )
                template = f'<ofd:Template TemplateID="{100 + index}" ZOrder="Background"/>'
                paths = []
            members[f"Doc_0/Pages/Page_{index}/Content.xml"] = _content(iter(texts + paths))
            if template:
                content = members[f"Doc_0/Pages/Page_{index}/Content.xml"].decode()
                members[f"Doc_0/Pages/Page_{index}/Content.xml"] = content.replace(
                    "<ofd:Content>", template + "<ofd:Content>", 1
                ).encode()
            location = quoteattr(f"Pages/Page_{index}/Content.xml")
            pages.append(f'<ofd:Page ID="{index + 1}" BaseLoc={location}/>')
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>1000</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {_mm(width)} "
        f"{_mm(height)}</ofd:PhysicalBox></ofd:PageArea>{''.join(templates)}</ofd:CommonData>"
        f"<ofd:Pages>{''.join(pages)}</ofd:Pages></ofd:Document>"
    ).encode()
    entry = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" '
        'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>'
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("OFD.xml", entry)
        package.writestr("Doc_0/Document.xml", document)
        for name, member in members.items():
            package.writestr(name, member)
    return out.getvalue()
