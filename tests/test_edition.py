"""Draft and final editions: a final edition prints no empty photo frame."""

from __future__ import annotations

import pytest

from conftest import ROOT
from publisher.pipeline.settings import load_settings
from publisher.support.errors import ContentError


def _settings(tmp_path, text):
    path = tmp_path / "compendium.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, "content/compendium.toml")[0]


def test_final_edition_keeps_captions_only(tmp_path):
    assert _settings(tmp_path, 'title = "x"\n').missing_images == "placeholder"
    assert _settings(tmp_path, 'title = "x"\nedition = "draft"\n').missing_images == "placeholder"
    final = _settings(tmp_path, 'title = "x"\nedition = "final"\n')
    assert final.edition == "final" and final.missing_images == "caption-only"
    strict = _settings(tmp_path, 'title = "x"\nedition = "final"\nmissing_images = "error"\n')
    assert strict.missing_images == "error"


def test_a_final_edition_with_placeholders_is_a_settings_error(tmp_path):
    with pytest.raises(ContentError) as err:
        _settings(tmp_path, 'title = "x"\nedition = "final"\nmissing_images = "placeholder"\n')
    assert err.value.line == 3 and "final edition" in err.value.message
    assert str(err.value).startswith("content/compendium.toml:3: error:")


def test_seed_settings_agree_with_the_editors_note(tmp_path):
    """The 编者按 says only the photos' captions are kept: the seed is a final edition, and
    its pages have no placeholder frame (nor its text), but every caption."""
    from publisher.pipeline.project import Project, load_project
    from publisher.support.options import WriterOptions
    from publisher.writers.html import render_html
    from publisher.writers.preflight import run_preflight

    loaded = load_project(Project(ROOT))
    preface = "".join(getattr(b, "text", "") for b in loaded.compendium.preface)
    if "仅保留图片说明" not in preface:
        pytest.skip("the editors' note no longer speaks of missing photos")
    assert loaded.settings.edition == "final"
    assert loaded.settings.missing_images == "caption-only"
    options = WriterOptions(
        content_dir=ROOT / "content",
        styles_dir=ROOT / "styles",
        missing_images=loaded.settings.missing_images,
        tagged_pdf=False,
    )
    pre = run_preflight(loaded.compendium, loaded.theme, options, files=loaded.files)
    html = render_html(loaded.compendium, loaded.theme, options, pre)
    assert "图片待补" not in html and 'class="placeholder"' not in html
    assert html.count("<figcaption>") == sum(
        1 for c in loaded.compendium.cases for b in c.blocks if b.__class__.__name__ == "Figure"
    )
