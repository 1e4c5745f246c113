"""Reports published as OFD, China's fixed-layout format (GB/T 33190-2016, 电子文件存储与交换格式
版式文档).

An OFD file is a zip package of XML: ``OFD.xml`` names the document's root (``Document.xml``),
which lists the pages; each page's ``Content.xml`` holds its text objects (each character's
place, in millimetres from the page's top left) and its paths (the table's rules). Unlike a
PDF, the text is always stored as characters, so nothing has to be decoded.

The page is read as the PDF reader reads a page with drawings: each character and each rule
is made into the object pdfplumber builds from a PDF page (in points, as a PDF has them), and
the same table finder, text lines and paragraph joining run on them
(:func:`gongkai.core.parse.pdf.page_to_blocks`). A PDF and an OFD printed from one Word file
read alike (tests/parse/test_ofd.py).

What is read: text objects (their ``CTM`` and ``Boundary``, ``TextCode`` runs with ``DeltaX``
and ``DeltaY`` and their ``g`` repetitions: a label printed vertically is a run down the page),
paths (``AbbreviatedData``: moves, lines, curves, arcs, closes) in layers and page blocks, and
the template pages behind a page. Not read: images (a scanned OFD is told so, and the pages of
large ones named where a table is missing), annotations and signatures (a seal is not text of
the report), text turned by its CTM (as the PDF reader leaves turned text out of the tables).
A package of several documents (a cover letter and the report) is read as one printout of
all their pages. Every member is read with a size cap, and the pages with the PDF reader's page
cap.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import lxml.etree  # type: ignore[import-untyped]
import pdfplumber
import pypdfium2 as pdfium  # type: ignore[import-untyped]

from gongkai.core.parse.document import Block, assemble
from gongkai.core.parse.pdf import (
    MAX_PAGES,
    PICTURE_SHARE,
    join_pages,
    line_rows,
    much_unread,
    page_to_blocks,
    rows_unread,
    table_pages,
    with_line_tables,
    with_picture_pages,
)
from gongkai.core.parse.pdf_objects import Objects, add_subpath, char_object
from gongkai.core.parse.result import ParseResult, failure

WHAT = "OFD 文件"
# The largest member read (a page's content, the document's page list): a 300-page report's
# largest page is well under a megabyte. And all members read together, templates once each.
MAX_MEMBER_BYTES = 32 * 1024 * 1024
MAX_READ_BYTES = 256 * 1024 * 1024
# The largest page side (mm) taken as it is written: a poster is under 2 m.
MAX_SIDE = 5000.0
# Points per millimetre: OFD measures in millimetres, the table finder's tolerances in points.
PT = 72 / 25.4
# A page with no size of its own or of its document: A4.
A4 = (0.0, 0.0, 210.0, 297.0)
# A stroked line's width when the path does not say (GB/T 33190 §9.1: 0.353 mm).
LINE_WIDTH = 0.353

SCANNED = "OFD 文件没有文字（只有图片，可能是扫描件），无法读取"
NOT_OFD = "OFD 文件已损坏或不完整：{why}，无法读取"

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class _BrokenError(Exception):
    """The package lacks what every OFD file has (the message says what)."""


_KINDS = ("char", "line", "rect", "curve")


@dataclass(slots=True)
class _Page:
    """One page's objects in pdfplumber's shape, and its size in points."""

    width: float
    height: float
    objects: Objects = field(default_factory=lambda: {kind: [] for kind in _KINDS})
    images: int = 0
    pictures: int = 0  # images as large as a table pasted as a picture (PICTURE_SHARE)
    first_of_document: bool = False  # the first page of a document after another one


def parse_ofd(data: bytes, *, source: str = "") -> ParseResult:
    """Parse one report saved as OFD (see the module docstring); never raises on bad input."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            pages = list(_pages(_Package(archive)))
    except _BrokenError as exc:
        return failure(source, NOT_OFD.format(why=exc))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error):
        return failure(source, NOT_OFD.format(why="压缩包无法解开"))
    except lxml.etree.XMLSyntaxError:
        return failure(source, NOT_OFD.format(why="其中的 XML 不完整"))
    if not any(page.objects["char"] for page in pages):
        if any(page.images for page in pages):
            return failure(source, SCANNED)
        return failure(source, f"{WHAT}中没有任何文字")
    blocks: list[Block] = []
    with pdfplumber.open(io.BytesIO(_blank_pdf(pages))) as plumber:
        for page, plumber_page in zip(pages, plumber.pages, strict=True):
            plumber_page._objects = {  # read as pdfplumber reads a PDF page's objects
                kind: found for kind, found in page.objects.items() if found
            }
            page_blocks, continues = page_to_blocks(plumber_page)
            # (A document's first page starts its own text: a cover letter ends before it.)
            join_pages(blocks, page_blocks, continues and not page.first_of_document)
        result = assemble(blocks, source=source, what=WHAT, paged=True)
        if rows_unread(result):  # a table not ruled: its rows from the lines of words

            def rows() -> list[list[str]]:
                texts = ["".join(c["text"] for c in page.objects["char"]) for page in pages]
                return [
                    row for index in table_pages(texts) for row in line_rows(plumber.pages[index])
                ]

            result = with_line_tables(result, rows)
    if result.report is None or much_unread(result.problems, result.report.format):
        large = [number for number, page in enumerate(pages, start=1) if page.pictures]
        return with_picture_pages(result, large, what="OFD 文件")
    return result


def _blank_pdf(pages: list[_Page]) -> bytes:
    """A PDF of empty pages of the OFD pages' sizes: pdfplumber's pages, which the objects
    read from the OFD then fill (it builds a page only from a PDF's page dictionary)."""
    document = pdfium.PdfDocument.new()
    try:
        for page in pages:
            document.new_page(page.width, page.height).close()
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    finally:
        document.close()


class _Package:
    """The zip's members as XML, each read with a size cap, all of them within a total, and
    each at most once (a template page stands behind many pages)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._names = frozenset(archive.namelist())
        self._read = 0
        self._kept: dict[str, Any] = {}

    def at(self, base: str, location: str) -> tuple[str, Any]:
        """The name and XML of the member ``location`` names from ``base`` (:func:`_member`);
        or, when there is none, from the package's root, as some converters write every
        location (「Doc_0/Pages/Page_0/Content.xml」 inside Doc_0/Document.xml), and readers
        accept."""
        name = _member(base, location)
        if name not in self._names:
            rooted = _member("", location)
            if rooted in self._names:
                name = rooted
        return name, self.xml(name)

    def xml(self, name: str) -> Any:
        """The member's XML root; :class:`_BrokenError` if it is missing or too large."""
        kept = self._kept.get(name)
        if kept is not None:
            return kept
        try:
            info = self._archive.getinfo(name)
        except KeyError:
            raise _BrokenError(f"缺少 {name}") from None
        too_large = _BrokenError(f"{name} 超过 {MAX_MEMBER_BYTES // (1024 * 1024)} MB")
        if info.file_size > MAX_MEMBER_BYTES:
            raise too_large
        with self._archive.open(info) as handle:
            data = handle.read(MAX_MEMBER_BYTES + 1)  # the size a hostile header says is a lie
        if len(data) > MAX_MEMBER_BYTES:
            raise too_large
        self._read += len(data)
        if self._read > MAX_READ_BYTES:
            raise _BrokenError(f"解压后超过 {MAX_READ_BYTES // (1024 * 1024)} MB")
        # A parser of its own for each member (lxml's parsers are not to be shared between
        # threads); no entity is expanded and nothing is fetched.
        parser = lxml.etree.XMLParser(
            resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
        )
        root = lxml.etree.fromstring(data, parser=parser)
        self._kept[name] = root
        return root


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> Iterator[Any]:
    return (child for child in element if _local(child) == name)


def _first(element: Any, *path: str) -> Any | None:
    for name in path:
        element = next(_children(element, name), None)
        if element is None:
            return None
    return element


def _member(base: str, location: str) -> str:
    """A location as the package names its member: from the package's root when it starts
    with 「/」, else from ``base``'s folder (GB/T 33190 §7.3)."""
    location = location.strip().replace("\\", "/")
    if not location.startswith("/"):
        location = posixpath.join(posixpath.dirname(base), location)
    return posixpath.normpath(location).lstrip("/")


def _numbers(text: str | None, count: int) -> tuple[float, ...] | None:
    found = _NUMBER.findall(text or "")
    if len(found) < count:
        return None
    numbers = tuple(float(number) for number in found[:count])
    return numbers if all(math.isfinite(n) for n in numbers) else None  # 「1e999」 is no place


def _pages(package: _Package) -> Iterator[_Page]:
    """The pages of every document of the package, in order, as one printout: a package may
    hold a cover letter and then the report (or the report and then its attachment), each a
    document of its own (a ``DocBody`` each), as a PDF printed with its cover page is read."""
    entry = package.xml("OFD.xml")
    roots = [
        root.text
        for body in _children(entry, "DocBody")
        if (root := _first(body, "DocRoot")) is not None and (root.text or "").strip()
    ]
    if not roots:
        raise _BrokenError("OFD.xml 没有指明文档（DocRoot）")
    left = MAX_PAGES
    for index, root in enumerate(roots[:MAX_PAGES]):
        for number, page in enumerate(_document_pages(package, root, left)):
            page.first_of_document = index > 0 and number == 0
            left -= 1
            yield page


def _document_pages(package: _Package, root: str, left: int) -> Iterator[_Page]:
    """The pages of one document (``root``, its ``Document.xml``); at most ``left`` of them,
    what the package's page cap leaves."""
    document_name, document = package.at("OFD.xml", root)
    common = _first(document, "CommonData")
    area = None if common is None else _first(common, "PageArea", "PhysicalBox")
    box = _numbers(_text(area), 4)
    templates = {
        template.get("ID"): template.get("BaseLoc")
        for template in (_children(common, "TemplatePage") if common is not None else ())
        if template.get("BaseLoc")
    }
    listed = _first(document, "Pages")
    pages = list(_children(listed, "Page")) if listed is not None else []
    if not pages:
        raise _BrokenError(f"{document_name} 没有页面")
    if len(pages) > left:
        raise _BrokenError(f"超过年度报告的上限 {MAX_PAGES} 页")
    for listed_page in pages:
        _, content = package.at(document_name, listed_page.get("BaseLoc", ""))
        size = _numbers(_text(_first(content, "Area", "PhysicalBox")), 4) or box or A4
        width, height = (min(max(side, 1.0), MAX_SIDE) * PT for side in size[2:])
        page = _Page(width=width, height=height)
        for template in _children(content, "Template"):
            found = templates.get(template.get("TemplateID"))
            if found is not None:
                _read_content(package.at(document_name, found)[1], page, size)
        _read_content(content, page, size)
        yield page


def _text(element: Any | None) -> str | None:
    return None if element is None else element.text


def _read_content(content: Any, page: _Page, box: tuple[float, ...]) -> None:
    """The text and paths of a page (or template page) into ``page``."""
    body = _first(content, "Content")
    if body is None:
        return
    origin = (box[0], box[1])
    stack = [iter(body)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        kind = _local(element)
        if kind in ("Layer", "PageBlock"):
            stack.append(iter(element))
        elif kind == "TextObject":
            _add_text(page, element, origin)
        elif kind == "PathObject":
            _add_path(page, element, origin)
        elif kind in ("ImageObject", "CompositeObject"):
            page.images += 1
            bounds = _numbers(element.get("Boundary"), 4)
            if bounds is not None and bounds[2] * bounds[3] * PT * PT >= (
                page.width * page.height * PICTURE_SHARE
            ):
                page.pictures += 1


@dataclass(frozen=True, slots=True)
class _Place:
    """An object's coordinates on the page: its CTM, then its Boundary's top left."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 1.0
    e: float = 0.0
    f: float = 0.0

    def at(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f


def _place(element: Any, origin: tuple[float, float]) -> _Place | None:
    boundary = _numbers(element.get("Boundary"), 4)
    if boundary is None:
        return None
    ctm = _numbers(element.get("CTM"), 6) or (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    a, b, c, d, e, f = ctm
    return _Place(a, b, c, d, e + boundary[0] - origin[0], f + boundary[1] - origin[1])


def _deltas(text: str | None, count: int) -> list[float]:
    """``DeltaX`` (or ``DeltaY``) as one advance per character after the first, 「g n d」
    written out: at most ``count`` of them, whatever a hostile 「g 1000000000 1」 asks. An
    advance that is no finite number (「1e999」「nan」) ends them, as a malformed one does: what
    follows is laid out at the font's size, not at infinity."""
    tokens = (text or "").split()
    out: list[float] = []
    index = 0
    try:
        while index < len(tokens) and len(out) < count:
            if tokens[index] == "g" and index + 2 < len(tokens):
                times = int(_finite(tokens[index + 1]))
                out.extend([_finite(tokens[index + 2])] * max(0, min(times, count - len(out))))
                index += 3
            else:
                out.append(_finite(tokens[index]))
                index += 1
    except ValueError:
        pass  # what follows a malformed advance is laid out at the font's size
    return out


def _finite(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise ValueError(token)
    return value


def _add_text(page: _Page, element: Any, origin: tuple[float, float]) -> None:
    place = _place(element, origin)
    if place is None or place.b or place.c or place.a <= 0 or place.d <= 0:
        return  # rotated or mirrored text: not a table's (as the PDF reader leaves it to pdfminer)
    written = _numbers(element.get("Size"), 1)
    size = written[0] if written else 3.5  # in the object's units; em is the size on the page
    em = size * place.d
    x = y = 0.0
    chars = page.objects["char"]
    for code in _children(element, "TextCode"):
        text = code.text or ""
        if not text:
            continue
        # A missing (or infinite) X or Y goes on from the last character's place.
        x = (_numbers(code.get("X"), 1) or (x,))[0]
        y = (_numbers(code.get("Y"), 1) or (y,))[0]
        across = _deltas(code.get("DeltaX"), len(text) - 1)
        down = _deltas(code.get("DeltaY"), len(text) - 1)
        for index, char in enumerate(text):
            glyph = _glyph(char) * size
            # A character moved down by DeltaY (a label printed vertically, one character
            # under another) stays where it is across, unless DeltaX moves it too.
            unmoved = 0.0 if index < len(down) else glyph
            advance = across[index] if index < len(across) else unmoved
            left, baseline = place.at(x, y)
            right = place.at(x + min(advance, glyph) if advance > 0 else x + glyph, y)[0]
            if char.isprintable() or char == "\u3000":  # a space is a character, as in a PDF
                chars.append(_char(char, left * PT, right * PT, baseline * PT, em * PT, page))
            x += advance
            if index < len(down):
                y += down[index]


# A digit's width in ems: half in CJK fonts and Times (Arial's 0.556 leaves a gap of 0.06 em,
# far below the 3 pt a space needs).
_DIGIT = 0.5


def _glyph(char: str) -> float:
    """How wide a character's glyph is, in ems, as far as the file tells: it names fonts, not
    their widths. An advance beyond it is a gap, which the text lines read as a space
    (「规章 1 件」), as a PDF's own glyph widths make it; a character whose width varies by
    font (「%」, capitals) is taken as wide as its advance, up to an em, so that no space is
    read into 「12.3%」."""
    if "0" <= char <= "9":
        return _DIGIT
    return 1.0


def _char(
    text: str, x0: float, x1: float, baseline: float, size: float, page: _Page
) -> dict[str, Any]:
    """A character as pdfplumber has it (:func:`.pdf_objects.char_object`): one em high, its
    baseline a fifth of an em above its bottom, as a CJK font's descent puts it."""
    y0 = page.height - baseline - size * 0.2
    return char_object(
        text,
        box=(x0, y0, x1, y0 + size),
        size=size,
        adv=(x1 - x0) / size,
        matrix=(size, 0.0, 0.0, size, x0, page.height - baseline),
        height=page.height,
        page_number=0,
        doctop=0.0,
    )


def _add_path(page: _Page, element: Any, origin: tuple[float, float]) -> None:
    place = _place(element, origin)
    data = _first(element, "AbbreviatedData")
    if place is None or data is None or not data.text:
        return
    stroke = element.get("Stroke", "true") != "false"
    fill = element.get("Fill", "false") == "true"
    width = _numbers(element.get("LineWidth"), 1)
    common = {
        "linewidth": (width[0] if width else LINE_WIDTH) * PT,
        "stroke": stroke,
        "fill": fill,
        "evenodd": element.get("Rule") == "Even-Odd",
        "mcid": None,
        "tag": None,
        "page_number": 0,
        "dash": None,
    }
    for ops in _subpaths(data.text, place, page.height):
        add_subpath(page.objects, ops, common, page.height, 0.0)


_ARGUMENTS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}


def _subpaths(
    data: str, place: _Place, height: float
) -> Iterator[list[tuple[str, tuple[float, float]]]]:
    """``AbbreviatedData`` as pdfminer's path operations, one list per subpath, in PDF points
    (y up). A curve or an arc is kept as one curve to its end point: no rule of a table is
    drawn so, and only lines and rectangles make cells."""
    tokens = _PATH_TOKEN.findall(data)
    ops: list[tuple[str, tuple[float, float]]] = []
    index = 0
    while index < len(tokens):
        command = tokens[index].upper()
        arguments = _ARGUMENTS.get(command)
        index += 1
        if arguments is None:
            continue  # a number out of place, or a command this reader does not know
        values = tokens[index : index + arguments]
        index += arguments
        try:
            numbers = [float(value) for value in values]
        except ValueError:
            return
        if len(numbers) < arguments:
            return
        if command == "C":
            if ops:
                ops.append(("h", ops[0][1]))
            continue
        x, y = place.at(numbers[-2], numbers[-1])
        point = (x * PT, height - y * PT)
        if command in ("S", "M"):
            if len(ops) > 1:
                yield ops
            ops = [("m", point)]
        elif not ops:
            continue  # pdfminer draws nothing that does not begin with a move
        else:
            ops.append(("l" if command == "L" else "c", point))
    if len(ops) > 1:
        yield ops
