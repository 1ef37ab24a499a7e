"""The Chinese typographic finish (W3C clreq), measured from the PDF's glyph positions."""

from __future__ import annotations

import re
import statistics
from dataclasses import replace

import pytest

from conftest import ROOT, output_of
from publisher.look.html_cjk import typeset
from publisher.support.options import WriterOptions
from publisher.testing.pdf_typography import measure, pdf_lines, stress_compendium
from publisher.writers.pdf import write_pdf

STYLES = ROOT / "styles"


def _pdf(book, theme, tmp_path) -> bytes:
    options = WriterOptions(content_dir=tmp_path, styles_dir=STYLES, tagged_pdf=False)
    return output_of(write_pdf, book, theme, options).data


@pytest.fixture(scope="module")
def stress_pdf(theme, tmp_path_factory) -> bytes:
    return _pdf(stress_compendium(), theme, tmp_path_factory.mktemp("stress"))


@pytest.fixture(scope="module")
def stress(stress_pdf, theme):
    return measure(stress_pdf, theme.sizes.body)


def test_every_pair_of_adjacent_marks_is_compressed(stress):
    assert stress.pairs > 40
    assert stress.compressed == stress.pairs, stress.uncompressed_examples


def test_lines_stay_flush(stress):
    assert stress.full_lines > 15
    assert stress.flush_percent >= 99.5 and stress.worst_short_em <= 0.05


def test_quarter_em_between_han_and_latin_but_not_at_line_edges(stress, stress_pdf, theme):
    gaps = stress.han_latin_gaps
    assert len(gaps) > 50
    assert stress.han_latin_median_em == pytest.approx(0.25, abs=0.02)
    # No gap beyond the quarter em plus justification (never added to an existing space:
    # "TikTok）" and "PDF，" have none, as they touch punctuation).
    assert max(gaps) < 0.6
    body = [line for line in pdf_lines(stress_pdf) if abs(line.size - theme.sizes.body) < 0.05]
    left = statistics.mode(round(line.left, 1) for line in body if line.page == 5)
    body = [line for line in body if line.page == 5]
    starts = [line for line in body if re.match(r"[A-Za-z0-9]", line.text)]
    assert starts, "the stress text should have a line starting with a Latin run"
    indent = theme.spacing.first_line_indent * theme.sizes.body
    # At the margin, or at the first-line indent: never a quarter em further in.
    offsets = [line.left - left for line in starts]
    assert all(min(abs(x), abs(x - indent)) < 0.5 for x in offsets), [
        (line.text, line.left - left) for line in starts
    ]
    assert any(abs(line.left - left) < 0.5 for line in starts)


def test_no_kinsoku_violations_and_no_lone_last_character(stress):
    assert stress.kinsoku == []
    assert stress.orphans == []


def test_caption_quotes_are_full_width(stress_pdf, theme):
    caption = next(line for line in pdf_lines(stress_pdf) if "党群服务中心" in line.text)
    em = theme.sizes.caption
    glyphs = caption.glyphs
    i = next(i for i, g in enumerate(glyphs) if g.text == "“")
    assert glyphs[i + 1].x0 - glyphs[i].x0 == pytest.approx(em, abs=0.1 * em)
    j = next(j for j, g in enumerate(glyphs) if g.text == "”")
    assert glyphs[j + 1].x0 - glyphs[j].x0 >= 0.9 * em


def test_the_finish_can_be_turned_off(theme, tmp_path):
    plain = replace(
        theme, typography=replace(theme.typography, han_latin_space=0, compress_punctuation=False)
    )
    figures = measure(_pdf(stress_compendium(), plain, tmp_path), theme.sizes.body)
    assert figures.compressed_percent < 5  # (a mark at a line's start may read as one)
    assert figures.han_latin_median_em < 0.05


def test_typeset_marks_up_without_changing_the_words():
    html = str(typeset("他说：“我们要‘抓党建’。”共2017年<b>PDF</b>。"))
    assert (
        re.sub(r"<span[^>]*>|</span>", "", html)
        == "他说：“我们要‘抓党建’。”共2017年&lt;b&gt;PDF&lt;/b&gt;。"
    )
    # ：“ → the colon is half; ’。” → two halves (one span) and a full mark.
    assert '<span class="halt">：</span>“' in html
    assert '<span class="halt">’。</span>”' in html
    assert '<span class="la hl-b hl-a">2017</span>' in html
    assert '<span class="la">PDF</span>' in html  # next to < and >: no space
    assert "hl" not in str(typeset("用 PDF 生成"))  # an existing space is kept alone
    # Across a bold lead-in's edge: "。" before "”" in the next run is compressed.
    assert 'class="halt"' in str(typeset("好。", after="”"))
    assert "pm" in str(typeset("“好”", punct=True))


def test_a_run_of_marks_is_one_span_whatever_its_length():
    """WeasyPrint looks at every inline box of a run it cannot break for each box it adds:
    a span per mark made 2,000 “ in a row take 12 s to lay out, 8,000 take 161 s."""
    html = str(typeset("开头" + "“" * 2000 + "结尾"))
    assert html == "开头" + '<span class="halt">' + "“" * 1999 + "</span>“结尾"
    captions = str(typeset("“" * 50, punct=True))
    assert captions.count("<span") == 2  # the halves, then the last mark


def test_docx_gets_the_same_han_latin_rule(theme, tmp_path):
    """Word and WPS space Han from Latin and digits themselves: autoSpaceDE/autoSpaceDN on
    the default paragraph style, turned off with the PDF's spacing."""
    import io
    import zipfile

    from publisher.writers.docx import write_docx
    from publisher.writers.docx.styles import Fonts

    fonts = Fonts(
        body="Noto Serif CJK SC",
        heading="Noto Sans CJK SC",
        caption="LXGW WenKai",
        latin="Noto Serif",
    )
    options = WriterOptions(content_dir=tmp_path, styles_dir=STYLES, docx_toc_pages=False)
    for space, expected in ((0.25, "<w:autoSpaceDE/>"), (0, '<w:autoSpaceDE w:val="0"/>')):
        t = replace(theme, typography=replace(theme.typography, han_latin_space=space))
        data = output_of(write_docx, stress_compendium(), t, options, fonts=fonts).data
        styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
        normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S)
        assert expected in normal.group(0)
        assert expected.replace("DE", "DN") in normal.group(0)


def test_a_paragraph_never_ends_in_a_lone_character(theme, tmp_path):
    """Text that would leave one character (and its full stop) alone on the last line."""
    from publisher.look.styletable import page_geometry
    from publisher.model import Case, Compendium, Paragraph, Part

    per_line = page_geometry(theme).chars_per_line
    indent = int(theme.spacing.first_line_indent)
    text = "党建引领脱贫攻坚" * 20
    lone = text[: per_line - indent + per_line] + "。"
    book = Compendium(
        title="孤字",
        parts=(
            Part(
                "",
                (
                    Case(
                        id="lone",
                        title="孤字测试",
                        blocks=(
                            Paragraph.of(lone),
                            Paragraph.of("他说：“" + lone[:-1] + "。”"),
                            Paragraph.of(lone[:-1] + "2017年。"),
                        ),
                    ),
                ),
            ),
        ),
    )
    figures = measure(_pdf(book, theme, tmp_path), theme.sizes.body)
    assert figures.body_lines == 9
    assert figures.orphans == []
    assert figures.flush_percent == 100.0


def test_source_note_has_one_form_with_separators():
    from publisher.look.presentation import source_note
    from publisher.model import Author, Case, Paragraph

    body = (Paragraph.of("正文。"),)
    note = source_note(
        Case(
            id="a",
            title="t",
            blocks=body,
            publication="《大安》2017年第9期",
            date="2017-10-09T12:37:38",
            source="永嘉乡",
        )
    )
    assert note == "（原载《大安》2017年第9期，2017年10月9日；来源：永嘉乡）"
    note = source_note(
        Case(
            id="b",
            title="t",
            blocks=body,
            publication="人民日报",
            page="18版",
            date="2017-11-14",
            authors=(Author("冯粒", "责编"),),
        )
    )
    assert note == "（原载《人民日报》，2017年11月14日，第18版；责任编辑：冯粒）"
    assert (
        source_note(Case(id="c", title="t", blocks=body, source="四川党建", date="2020-06"))
        == "（来源：四川党建，2020年6月）"
    )
    assert source_note(Case(id="d", title="t", blocks=body, date="2020")) == "（2020年）"
    assert source_note(Case(id="e", title="t", blocks=body)) == ""


def test_lint_flags_angle_brackets_and_spaces_between_han():
    from publisher.text.textcheck import check_line

    found = check_line("来源：相关市<州>、县<市、区>党委组织部，经“六清退” 后，孙璞玉 摄")
    messages = [f.message for f in found]
    assert sum("angle brackets" in m for m in messages) == 2
    assert sum("half-width space" in m for m in messages) == 1  # not before 摄
    assert not check_line("<b>bold</b> and PDF 与 2017 年")[:0]
    assert not [f for f in check_line("用 PDF 生成，<b>x</b>") if "angle" in f.message]


def test_importer_turns_angle_brackets_into_chinese_ones_as_corrections():
    from publisher.model import Paragraph
    from publisher.readers.raw import import_raw

    raw = (
        "资中县的标题\n2020-06-11   来源:相关市<州>、县<市、区>党委组织部\n\n"
        "正文第一段，写<script>也照样打印，相关市<州>的情况。\n"
    ).encode()
    result = import_raw(raw, "content/sources/x.txt")
    case = result.cases[0]
    text = case.source + "".join(b.text for b in case.blocks if isinstance(b, Paragraph))
    assert "<州>" not in text and "〈州〉" in text and "<script>" in text
    fixes = {(c.original, c.corrected) for c in case.corrections}
    assert ("<州>", "〈州〉") in fixes and ("<市、区>", "〈市、区〉") in fixes
    assert all(c.line in (2, 4) for c in case.corrections)


def test_body_text_sits_on_the_line_grid(theme, tmp_path, stress):
    """Headings, captions, photos, notes and source notes take whole lines: every body
    baseline is on the grid of the page's first line."""
    from PIL import Image

    from publisher.model import Case, Compendium, Figure, Heading, Note, Paragraph, Part

    assert stress.grid_lines > 30 and stress.on_grid_percent == 100.0, stress.off_grid_examples
    (tmp_path / "images").mkdir()
    Image.new("RGB", (1200, 777), (90, 120, 150)).save(tmp_path / "images" / "p.jpg")
    text = "近年来，某县以党建为引领，推进脱贫攻坚，全县6156户、25783人已脱贫。" * 4
    blocks = (
        Paragraph.of(text),
        Heading(1, "建队伍，聚力精准扶贫"),
        Paragraph.of(text),
        Figure(caption="村民在党群服务中心学习。" * 3, credit="某某 摄", image="images/p.jpg"),
        Paragraph.of(text),
        Heading(2, "（一）健全工作机制"),
        Note("注：这是一条注文。"),
        Paragraph.of(text),
        Heading(3, "三级标题"),
        Paragraph.of(text * 12),
    )
    book = Compendium(
        title="行格",
        parts=(Part("", (Case(id="g", title="行格测试", blocks=blocks, source="某报"),)),),
    )
    figures = measure(_pdf(book, theme, tmp_path), theme.sizes.body)
    assert figures.grid_lines > 60
    assert figures.on_grid_percent == 100.0, figures.off_grid_examples
    off = replace(theme, typography=replace(theme.typography, line_grid=False))
    assert measure(_pdf(book, off, tmp_path), theme.sizes.body).on_grid_percent < 90


def test_credits_print_in_the_source_note_not_the_byline():
    """A unit that sent the article, a photographer: credited after the source, by role;
    the byline names the writers only, with their role as printed (本报记者)."""
    from publisher.look.presentation import byline, source_note
    from publisher.model import Author, Case, Paragraph

    case = Case(
        id="a",
        title="t",
        blocks=(Paragraph.of("正文。"),),
        source="本站原创",
        date="2019-10-31",
        authors=(
            Author("某县卫生院党总支", "作者单位"),
            Author("李四", "本报记者"),
            Author("药剂科", "供稿"),
            Author("张艳", "摄影"),
            Author("王五", "摄影"),
            Author("苏芳", "编辑"),
        ),
    )
    assert byline(case) == "本报记者 李四"
    assert source_note(case) == (
        "（来源：本站原创，2019年10月31日；作者单位：某县卫生院党总支；供稿：药剂科；"
        "摄影：张艳、王五；责任编辑：苏芳）"
    )


def test_byline_prints_wen_as_printed():
    from publisher.look.presentation import byline
    from publisher.model import Author, Case, Paragraph

    case = Case(
        id="a",
        title="t",
        blocks=(Paragraph.of("正文。"),),
        authors=(Author("张三", "文"), Author("李四", "图")),
    )
    assert byline(case) == "文／张三"
