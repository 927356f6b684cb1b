"""The deck as a web page (R6_deck.html, issue 21 item 2): one self-contained file in Japanese, a
skip link and a table of contents, every slide's heading and sentences, each figure as a titled,
described SVG with its data as a real table whose every number is the aggregate's."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from lxml import html


@pytest.fixture(scope="module")
def page(r6_build):
    result, _ = r6_build
    return html.fromstring((result.out / "R6_deck.html").read_bytes())


def test_the_page_is_one_japanese_file_that_needs_nothing_else(page, r6_build):
    result, _ = r6_build
    assert page.get("lang") == "ja" and page.findtext(".//title").startswith("令和６年度")
    assert page.xpath("//script") == [] and page.xpath("//link") == []
    refs = page.xpath("//@src | //@href")
    assert all(r.startswith("#") for r in refs), [r for r in refs if not r.startswith("#")]
    ids = Counter(page.xpath("//@id"))
    assert [i for i, n in ids.items() if n > 1] == []
    assert all(r[1:] in ids for r in refs)  # every link lands on the page
    assert page.xpath("//a[@class='skip']/@href") == ["#main"]
    assert (result.out / "R6_deck.html").read_bytes() == (result.out / "R6_deck.html").read_bytes()


def test_every_slide_is_a_section_under_its_heading_in_the_contents(page, r6_build):
    result, _ = r6_build
    from pptx import Presentation

    headings = [s.shapes.title.text_frame.text.replace("\n", "") for s in list(Presentation(str(result.out / "R6_deck.pptx")).slides)[1:]]
    assert page.xpath("//main/section/h2/text()") == headings
    assert page.xpath("//nav//a/text()") == headings
    assert page.xpath("//h1/text()")[0].startswith("地方創生における金融機関との連携状況")
    bullets = " ".join(page.xpath("//section//li/text()"))
    assert "約7割の自治体" in bullets or "約７割の自治体" in bullets


def test_each_figure_is_described_and_its_table_gives_the_aggregates(page, r6_tables):
    from slidegen.figures import figure_label

    figures = page.xpath("//figure")
    assert len(figures) == 18
    for figure in figures:
        n = int(figure.get("id").split("-")[1])
        svg = figure.find(".//svg")
        assert svg.get("role") == "img"
        title, desc = (svg.xpath(f".//*[@id='{i}']")[0] for i in svg.get("aria-labelledby").split())
        assert desc.text.startswith(figure_label(n)) and title.text
        table = figure.find(".//table")
        assert table.find("caption").text_content().startswith(f"{figure_label(n)} ")
        assert [th.text for th in table.xpath(".//thead/tr/th")][0] == "選択肢"
        expected = r6_tables.figure(n)
        shown = {re.sub(r"(※\d+|†)+$", "", row.xpath("./th")[0].text): [td.text for td in row.xpath("./td")]
                 for row in table.xpath(".//tbody/tr")}
        for i, series in enumerate(expected.series):
            for r in series.rows:
                value = shown[r.label][i]
                assert value.rstrip("倍") == f"{r.value:.1f}", (n, r.label, value)


#: where axe-core's script is: `.ci/run` installs it from the npm registry and says so here
AXE = os.environ.get("AXE_CORE_JS", "")


@pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("chromedriver") and AXE and Path(AXE).is_file()),
    reason="needs Debian's chromium and chromium-driver, and axe-core (AXE_CORE_JS; .ci/run installs them)",
)
def test_axe_core_finds_no_violation_at_wcag_21_aa(r6_build, tmp_path):
    """The page opened in headless Chromium and checked by axe-core at WCAG 2.0/2.1 A and AA (JIS X
    8341-3:2016 is WCAG 2.0 AA): no violation."""
    selenium = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    result, _ = r6_build
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium")
    driver = selenium.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        driver.get((result.out / "R6_deck.html").as_uri())
        driver.execute_script(Path(AXE).read_text(encoding="utf-8"))
        found = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            ".then(r => done({violations: r.violations.map(v => [v.id, v.help, v.nodes.length]), passes: r.passes.length}))"
            ".catch(e => done({error: String(e)}));"
        )
    finally:
        driver.quit()
    assert "error" not in found, found
    assert found["violations"] == [] and found["passes"] > 10
