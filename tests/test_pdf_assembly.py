"""The PDF laid out case by case and assembled: the same bytes however it is laid out,
folios and table-of-contents numbers that follow the cases, one font per face, and a
cache that lays out again only what changed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from publisher.model import Case, Compendium, Paragraph, Part
from publisher.support.options import WriterOptions, WriterResources
from publisher.writers.pdf import PdfOutput, write_pdf
from publisher.writers.pdf.pieces import split_pieces
from publisher.writers.preflight import run_preflight

TEXT = "近年来，某县以党建为引领，推进脱贫攻坚，全县6156户、25783人已脱贫。" * 6


def _book(extra_paragraphs: int = 0) -> Compendium:
    def case(n: int, paragraphs: int) -> Case:
        return Case(
            id=f"c{n}",
            title=f"第{'一二三四五'[n - 1]}个案例的标题",
            blocks=tuple(Paragraph.of(f"{n}号案例。" + TEXT) for _ in range(paragraphs)),
        )

    cases = (case(1, 3), case(2, 3 + extra_paragraphs), case(3, 14), case(4, 3), case(5, 2))
    return Compendium(
        title="汇编",
        compiler="编写组",
        preface=(Paragraph.of("这是前言。"),),
        parts=(Part("", cases),),
    )


@pytest.fixture
def options(tmp_path) -> WriterOptions:
    return WriterOptions(
        content_dir=tmp_path / "content", styles_dir=ROOT / "styles", date="2026-11-01"
    )


@pytest.fixture
def typeset(theme, options, tmp_path):
    """`write_pdf` of a book with its pre-flight; the piece cache in tmp_path/cache, one
    job, unless `resources` say otherwise."""

    def write(book: Compendium, **resources) -> PdfOutput:
        pre = run_preflight(book, theme, options)
        given = WriterResources(**{"cache_dir": tmp_path / "cache", **resources})
        return write_pdf(book, theme, options, pre, resources=given)

    return write


def _folio(page) -> str:
    pieces: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            pieces.append((cm[5] + tm[5] * cm[3], text.strip()))

    page.extract_text(visitor_text=visit)
    return next((t for y, t in pieces if y < 60), "")


def _toc_numbers(reader: PdfReader, book: Compendium) -> dict[str, str]:
    texts = [p.extract_text() or "" for p in reader.pages]
    toc = next(t for t in texts if t.lstrip().startswith("目录"))
    found = {}
    for case in book.cases:
        match = re.search(re.escape(case.title) + r"\s*[.\s]+\s*(\d+)\s*$", toc, re.M)
        assert match, (case.title, toc)
        found[case.id] = match.group(1)
    return found


@pytest.mark.slow
def test_same_bytes_with_one_or_two_jobs_and_with_or_without_the_cache(typeset):
    book = _book()
    one = typeset(book, jobs=1, cache_dir=None)
    two = typeset(book, jobs=2, cache_dir=None)
    cold = typeset(book)
    warm = typeset(book)
    assert one.data == two.data == cold.data == warm.data
    assert cold.pieces_laid_out == 6 and cold.pieces_cached == 0  # front + 5 cases
    assert warm.pieces_laid_out == 0 and warm.pieces_cached == 6


@pytest.mark.slow
def test_an_edited_book_is_the_same_bytes_as_the_same_book_built_cold(typeset):
    """Pieces are copied in as they come: with a cache, the edited case comes last, yet the
    book does not depend on what was cached."""
    typeset(_book())
    edited = typeset(_book(extra_paragraphs=10), jobs=2)
    cold = typeset(_book(extra_paragraphs=10), cache_dir=None)
    assert edited.pieces_cached == 4
    assert edited.data == cold.data


def test_a_damaged_cached_piece_is_laid_out_again(typeset, tmp_path):
    book = _book()
    cold = typeset(book)
    damaged = sorted((tmp_path / "cache").glob("*.pdf"))[0]
    damaged.write_bytes(damaged.read_bytes()[:100])  # a disk that filled up, a crash
    again = typeset(book)
    assert again.data == cold.data
    assert again.pieces_laid_out == 1 and again.pieces_cached == 5


@pytest.mark.slow
def test_a_longer_case_moves_every_later_folio_and_toc_number(typeset):
    before_book, after_book = _book(), _book(extra_paragraphs=10)
    before = typeset(before_book)
    after = typeset(after_book)
    # Only the edited case and the front matter (its table of contents) were laid out again.
    assert after.pieces_laid_out == 2 and after.pieces_cached == 4

    moved = after.case_pages["c3"] - before.case_pages["c3"]
    assert moved >= 2  # the test lengthens case 2 by at least one leaf
    assert after.case_pages["c1"] == before.case_pages["c1"]
    for later in ("c3", "c4", "c5"):
        assert after.case_pages[later] == before.case_pages[later] + moved

    for out, book in ((before, before_book), (after, after_book)):
        reader = PdfReader(io.BytesIO(out.data))
        toc = _toc_numbers(reader, book)
        for case in book.cases:
            page = out.case_pages[case.id]
            printed = str(page - out.body_start + 1)
            assert _folio(reader.pages[page - 1]) == printed == toc[case.id], case.id
        # every page after the body's first prints its number, or nothing (blank versos)
        for index in range(out.body_start - 1, out.pages):
            folio = _folio(reader.pages[index])
            text = (reader.pages[index].extract_text() or "").strip()
            assert folio == (str(index + 2 - out.body_start) if text else ""), index
        assert reader.page_labels[out.case_pages["c5"] - 1] == toc["c5"]


def test_one_font_object_per_face(typeset):
    out = typeset(_book())
    assert out.fonts_merged >= 1  # the body face was embedded by every piece
    reader = PdfReader(io.BytesIO(out.data))
    objects: dict[str, set] = {}
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            objects.setdefault(str(ref.get_object()["/BaseFont"]), set()).add(ref.idnum)
    assert objects and all(len(ids) == 1 for ids in objects.values()), objects
    # Each is a real subset of its face, holding every glyph the book shows (the pieces
    # embed only a note of the face's file: writers/pdf/fonts.deferred_subsetting).
    from fontTools.ttLib import TTFont

    for page in list(reader.pages)[-4:]:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            cid = ref.get_object()["/DescendantFonts"][0].get_object()
            descriptor = cid["/FontDescriptor"].get_object()
            program = (descriptor.get("/FontFile3") or descriptor["/FontFile2"]).get_object()
            font = TTFont(io.BytesIO(program.get_data()))
            cff = "CFF " in font
            assert cid["/Subtype"] == ("/CIDFontType0" if cff else "/CIDFontType2")
            widths = cid["/W"]
            assert font["maxp"].numGlyphs > max(int(w) for w in widths[::2])


def test_the_assembly_holds_one_copy_of_each_face_however_many_pieces(monkeypatch, typeset):
    """Memory that does not grow with the book: a face the pieces all embed is copied into
    the book once while it is assembled, not once per piece (its widths and text map
    are made again for the whole book anyway)."""
    import pikepdf

    from publisher.writers.pdf.assemble import Assembler

    held: list[int] = []
    real_finish = Assembler.finish

    def finish(self, *args, **kwargs):
        held.append(
            sum(
                1
                for o in self.out.objects
                if isinstance(o, pikepdf.Dictionary)
                and o.get("/Type") == "/Font"
                and o.get("/Subtype") == "/Type0"
            )
        )
        return real_finish(self, *args, **kwargs)

    monkeypatch.setattr(Assembler, "finish", finish)
    out = typeset(_book())
    faces = set()
    for page in PdfReader(io.BytesIO(out.data)).pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            faces.add(str(ref.get_object()["/BaseFont"]))
    assert held == [len(faces)], (held, faces)  # 6 pieces, yet one font object per face


def test_the_folio_is_centred_where_the_template_puts_it(typeset):
    """The folios of a page numbered 1 and one numbered 10 are centred on the same point
    (the foot's centre on a right-hand page)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    out = typeset(_book(extra_paragraphs=20))
    centres = {}
    for number, layout in enumerate(extract_pages(io.BytesIO(out.data)), 1):
        folio = number - out.body_start + 1
        if folio not in (1, 3, 11) or number % 2 == 0:
            continue
        chars = [
            c
            for box in layout
            if isinstance(box, LTTextContainer)
            for line in box
            for c in getattr(line, "_objs", [])
            if isinstance(c, LTChar) and c.y0 < 60
        ]
        assert "".join(c.get_text() for c in chars) == str(folio)
        centres[folio] = (min(c.x0 for c in chars) + max(c.x1 for c in chars)) / 2
    assert len(centres) == 3
    assert max(centres.values()) - min(centres.values()) < 0.05, centres


def test_pieces_are_the_book_cut_at_its_sections():
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><title>书</title>'
        '<meta name="dcterms.created" content="2026-11-01"></head>'
        '<body class="with-parts"><section class="cover" id="cover">封面</section>'
        '<div class="front-matter"><nav id="toc"><a href="#preface">前言</a>'
        '<a href="#case-a">甲</a></nav></div>'
        '<section class="part" id="part-1">一</section>'
        '<article class="case" id="case-a">甲<img src="x.png"></article>'
        '<section class="back afterword" id="afterword">后记</section></body></html>'
    )
    pieces = split_pieces(html, {"case-a": "3"})
    assert [(p.kind, p.name) for p in pieces] == [
        ("front", "front"),
        ("part", "part-1"),
        ("case", "case-a"),
        ("back", "afterword"),
    ]
    assert all('lang="zh-CN"' in p.html and 'class="with-parts"' in p.html for p in pieces)
    assert '<a href="#preface">' in pieces[0].html  # in the same piece: left alone
    assert '<a href="book-anchor:case-a" data-page="3">' in pieces[0].html
    assert "甲" in pieces[2].html and "封面" not in pieces[2].html
    # The book's metadata is the front's: a new build date lays out no case again.
    assert "2026-11-01" in pieces[0].html and "2026-11-01" not in pieces[2].html


def test_a_worker_that_dies_is_a_one_line_error_not_a_traceback():
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from publisher.support.errors import EnvironmentProblem
    from publisher.writers.pdf.layout import Layout

    class DeadPool:  # what the pool gives when the kernel killed a worker
        def submit(self, *args):
            future: Future = Future()
            future.set_exception(BrokenProcessPool("A process in the pool was terminated"))
            return future

        def shutdown(self):
            pass

    layout = Layout(2, None, ())  # two jobs, no cache: the piece goes to the pool
    layout.pool = DeadPool()
    with pytest.raises(EnvironmentProblem, match="--jobs 1"):
        layout.run([object()], lambda pages: None, lambda i, r: None)  # type: ignore[list-item]


def test_the_tag_tree_maps_all_marked_content_without_empty_spans(typeset):
    """Tagging kept whole after the pieces' empty Span elements were flattened: every
    marked-content id on every page belongs to the element the parent tree names, and no
    element of the tree is a Span that carries nothing but text."""
    import pikepdf

    book = typeset(_book(), jobs=1)
    pdf = pikepdf.open(io.BytesIO(book.data))
    root = pdf.Root.StructTreeRoot
    owners_of = pikepdf.NumberTree(root.ParentTree)
    checked = 0
    for page in pdf.pages:
        if "/StructParents" not in page.obj:
            continue  # a blank verso
        owners = owners_of[int(page.obj.StructParents)]
        for instruction in pikepdf.parse_content_stream(page):
            operands = instruction.operands
            if str(instruction.operator) != "BDC" or "/MCID" not in operands[1]:
                continue
            mcid, owner = int(operands[1].MCID), owners[int(operands[1].MCID)]
            kids = owner.K if isinstance(owner.K, pikepdf.Array) else [owner.K]
            held = [
                (int(k), owner.Pg.objgen) if isinstance(k, int) else (int(k.MCID), k.Pg.objgen)
                for k in kids
                if isinstance(k, int) or k.get("/Type") == "/MCR"
            ]
            assert (mcid, page.obj.objgen) in held, (str(owner.S), mcid)
            checked += 1
    assert checked > 100

    kinds: list[str] = []
    pages = {page.obj.objgen: page for page in pdf.pages}
    todo = [root]
    while todo:
        element = todo.pop()
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                kinds.append(str(kid.S))
                plain = set(kid.keys()) <= {"/Type", "/S", "/K", "/Pg", "/P"}
                assert not (kid.S == "/Span" and plain), "an empty Span is left"
                todo.append(kid)
            elif isinstance(kid, int) or (
                isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"
            ):  # the parent tree names the element that holds the content
                mcid, page = (
                    (int(kid), element.Pg) if isinstance(kid, int) else (int(kid.MCID), kid.Pg)
                )
                owners = owners_of[int(pages[page.objgen].obj.StructParents)]
                assert owners[mcid].objgen == element.objgen, (str(element.S), mcid)
    assert {"/H1", "/P", "/Link"} <= set(kinds)


def test_a_change_to_any_module_of_the_package_lays_the_pieces_out_again(tmp_path, monkeypatch):
    """Cached pieces are code's results: the worker runs modules all over the package (the
    tag flattening, font stubs, the justification's character classes), so the key takes
    every module, not a list that goes stale."""
    import shutil

    from publisher.support import codeversion
    from publisher.writers.pdf.pieces import PieceJob, piece_key

    copy = tmp_path / "publisher"
    shutil.copytree(codeversion.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(codeversion, "PACKAGE_DIR", copy)
    job = PieceJob("c1", "<p>案例</p>", ("", ""), "file:///c/", "file:///s/", (), True, False, True)
    keys = []
    for module in ("writers/pdf/tags.py", "text/chinese.py"):
        codeversion.package_digest.cache_clear()
        keys.append(piece_key(job, ()))
        (copy / module).write_text((copy / module).read_text() + "\n# changed\n")
    codeversion.package_digest.cache_clear()
    keys.append(piece_key(job, ()))
    codeversion.package_digest.cache_clear()
    assert len(set(keys)) == 3


def test_a_worker_reads_its_faces_from_the_font_files_without_copying_them(typeset):
    """Each face's data is a view of the font file HarfBuzz maps into memory, not a copy
    per worker (the CJK faces' copies were 100 MB a worker); the view is the file."""
    from publisher.patches import weasyprint as weasyprint_patches
    from publisher.writers.pdf import fonts as pdf_fonts

    weasyprint_patches.FACE_DATA.clear()
    typeset(_book(), jobs=1, cache_dir=None)  # in this process
    views = [v for v in weasyprint_patches.FACE_DATA.values() if v is not None]
    assert views and not any(isinstance(v, bytes) for v in views)
    sizes = {}
    for face in ("Noto Serif CJK SC", "Noto Sans CJK SC"):
        found = pdf_fonts._fc_match(face)
        if found:
            sizes[Path(found[0]).stat().st_size] = Path(found[0])
    view = next(v for v in views if len(v) in sizes)
    assert view[:] == sizes[len(view)].read_bytes()
