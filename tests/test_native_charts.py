"""Native PowerPoint charts (``--charts native``): the ranking, paired and gap figures as charts
whose data sits in their embedded workbook, reopened with python-pptx as an official's PowerPoint
would read them."""

from __future__ import annotations

import io
import zipfile
from datetime import timezone

import pytest
from conftest import LIBREOFFICE, ROOT, charts_of, lo_edit
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.chart.data import CategoryChartData
from pptx.enum.dml import MSO_COLOR_TYPE

from slidegen import pipeline
from slidegen.build.parallel import JOBS_VARIABLE
from slidegen.aggregate import ranked
from slidegen.figures.fonts import resolve_font

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
C15 = "{http://schemas.microsoft.com/office/drawing/2012/chart}"


@pytest.fixture(scope="module")
def native_deck(r6_build):
    """The R6 deck built with native charts (the default): its path."""
    result, _ = r6_build
    return result.out / "R6_deck.pptx"


@pytest.fixture(scope="module")
def native(native_deck):
    return Presentation(str(native_deck))


def test_each_native_kind_is_a_chart_with_the_tables_values(native, r6_inputs, r6_tables):
    charts = charts_of(native)
    natives = r6_inputs.codebook.figures
    assert len(natives) == 18
    for spec in natives:
        table = r6_tables.figure(spec.number)
        if spec.chart == "paired":
            first = ranked(table.series[0].rows)
            order = [r.label for r in first]
            for s in table.series:
                chart = charts[f"slidegen:図{spec.number}:{s.name}"].chart
                by_label = {r.label: r.value for r in s.rows}
                assert list(chart.plots[0].series[0].values) == [by_label[label] for label in order]
        else:
            rows = ranked(table.series[0].rows) if spec.chart == "ranking" else table.series[0].rows
            if spec.chart == "band":  # one series per option, one value each
                chart = charts[f"slidegen:図{spec.number}:chart"].chart
                assert [s.values[0] for s in chart.plots[0].series] == [r.value for r in rows]
                assert [s.name for s in chart.plots[0].series] == [r.label for r in rows]
                continue
            name = f"slidegen:図{spec.number}" + (":chart" if spec.chart in ("doughnut", "band") else "")
            chart = charts[name].chart
            assert list(chart.plots[0].series[0].values) == [r.value for r in rows]
            labels = list(chart.plots[0].categories)
            assert [label.split("※")[0].removesuffix("†") for label in labels] == [r.label for r in rows]
    assert "金融機関※1" in list(charts["slidegen:図15:実績"].chart.plots[0].categories)
    assert charts["slidegen:図9"].chart.plots[0].series[0].values[0] == 4.0
    assert charts["slidegen:図9"].chart.plots[0].data_labels.number_format == '0.0"倍"'
    hole = charts["slidegen:図1:chart"].chart  # the doughnut: its labels are its data labels, the centre its title
    assert label_texts(hole) == ["連携済みまたは連携予定あり\n69.5％", "連携実績なし\n30.5％"]
    assert title_text(hole) == "69.5％"
    group = next(s for s in native.slides[2].shapes if s.name == "slidegen:図1")
    assert [t.text_frame.text for t in group.shapes if t.has_text_frame] == ["連携あり（予定含む）"]  # no number
    band = charts["slidegen:図2:chart"].chart  # the band: each part's label under it, the bracket's sum the title
    assert "当初疎遠だったが、\n関係が深まった\n30.5" in label_texts(band)
    assert title_text(band) == "深い連携関係を維持・構築→91.3％"


def label_texts(chart) -> list[str]:
    """Each data label's text as it reads now (its fields showing what they hold)."""
    return [
        "\n".join("".join(t.text or "" for t in p.iter(f"{A}t")) for p in d_lbl.iter(f"{A}p"))
        for d_lbl in chart._chartSpace.iter(f"{C}dLbl")
        if d_lbl.find(f"{C}tx") is not None
    ]


def title_text(chart) -> str:
    return "".join(v.text for v in chart._chartSpace.find(f"{C}chart/{C}title").iter(f"{C}v"))


def test_every_number_a_chart_shows_comes_from_its_data(native):
    """Values are fields of the labels (the renderer fills them from the data); gains, the bracket
    sum and the centre share are formulas in the chart's workbook that PowerPoint recomputes."""
    from openpyxl import load_workbook

    charts = charts_of(native)

    def workbook(name):
        return load_workbook(io.BytesIO(charts[name].chart.part.chart_workbook.xlsx_part.blob)).active

    for name in ("slidegen:図1:chart", "slidegen:図2:chart", "slidegen:図15:意向"):
        fields = [f.get("type") for f in charts[name].chart._chartSpace.iter(f"{A}fld")]
        assert "VALUE" in fields, name
    assert workbook("slidegen:図2:chart")["A5"].value == '="深い連携関係を維持・構築→"&TEXT(B2+C2,"0.0")&"％"'
    sheet = workbook("slidegen:図15:意向")
    gains = [sheet[f"D{i}"].value for i in range(2, 4)]
    assert all(g.startswith("=IF(ROUND(B") and ">=2," in g for g in gains)  # the figure's gain_min
    assert sheet["C1"].value.startswith("実績")  # the other panel's values, so both panels scale alike
    ranges = [f.text for f in charts["slidegen:図15:意向"].chart._chartSpace.iter(f"{C15}f")]
    assert ranges == ["Sheet1!$D$2:$D$12"]
    assert "＋13.1pt" in label_texts(charts["slidegen:図15:意向"].chart)[7]
    for name, shape in charts.items():
        # a bar chart's axis runs to its largest value — a paired figure's, to the larger of its two
        # panels' (each chart carries the other's values unfilled) — as the picture's scale does
        # (issue 23: the same proportions; `update` sets it again from new data, `check` names an
        # edited chart); a band and a doughnut scale themselves
        top = shape.chart._chartSpace.find(f".//{C}valAx/{C}scaling/{C}max")
        if shape.chart.chart_type != XL_CHART_TYPE.BAR_CLUSTERED:
            assert top is None, name
        else:
            values = [v for series in shape.chart.plots[0].series for v in series.values]
            assert float(top.get("val")) == max(values), name


def test_chart_text_is_japanese_in_the_east_asian_slot(native):
    """Chart text names the theme's body fonts, the East Asian slot too, so the template's theme sets them."""
    for name, shape in charts_of(native).items():
        space = shape.chart._chartSpace
        rprs = list(space.iter(f"{A}defRPr"))
        assert rprs, name
        for rpr in rprs:
            assert rpr.get("lang") == "ja-JP", name
            assert rpr.find(f"{A}ea") is not None and rpr.find(f"{A}ea").get("typeface") == "+mn-ea", name
            assert rpr.find(f"{A}latin") is None or rpr.find(f"{A}latin").get("typeface") == "+mn-lt", name


def colour(color_format, theme) -> str:
    """#RRGGBB of a python-pptx colour, a theme slot resolved through ``theme``."""
    if color_format.type == MSO_COLOR_TYPE.SCHEME:
        return theme.rgb(color_format.theme_color.name.lower().replace("_", ""))
    return f"#{color_format.rgb}"


def test_chart_colours_are_the_figures_and_come_from_the_theme(native, r6_inputs, r6_tables, theme):
    """Every bar, slice and part names a theme accent (greys aside) and, resolved, has the colour
    of the same bar in the figure's drawing (the PDF's and the web page's)."""
    from slidegen import figures

    slots = r6_inputs.deck.slots()
    charts = charts_of(native)
    for number in (1, 2, 3, 15):
        spec = r6_inputs.codebook.figure(number)
        fig = figures.draw(spec, r6_tables.figure(number), r6_inputs.codebook, slots[number], resolve_font(), theme)
        drawn = {}
        for shape in fig.find("bar:"):
            _, series, label = shape.gid.split(":", 2)
            drawn[(series, label)] = shape.fill
        if spec.chart == "band":
            chart = charts[f"slidegen:図{number}:chart"].chart
            got = {("", s.name): colour(s.format.fill.fore_color, theme) for s in chart.plots[0].series}
            kinds = [s.format.fill.fore_color.type for s in chart.plots[0].series]
        else:
            names = [f"slidegen:図{number}:{s.name}" for s in r6_tables.figure(number).series] if spec.chart == "paired" else [
                f"slidegen:図{number}" + (":chart" if spec.chart == "doughnut" else "")
            ]
            got, kinds = {}, []
            for name in names:
                plot = charts[name].chart.plots[0]
                series = name.split(":")[-1] if spec.chart == "paired" else ("" if spec.chart == "doughnut" else plot.series[0].name)
                for label, point in zip(plot.categories, plot.series[0].points):
                    got[(series, label)] = colour(point.format.fill.fore_color, theme)
                    kinds.append(point.format.fill.fore_color.type)
        assert got == drawn, number
        assert MSO_COLOR_TYPE.SCHEME in kinds, number  # the main colours are the theme's


def test_every_figure_is_a_chart_with_alt_text(native):
    pictures = [s.name for slide in native.slides for s in slide.shapes if s.shape_type == 13]
    assert pictures == []  # every figure is a chart
    from slidegen.figures import figure_label

    described = 0
    for slide in native.slides:
        for shape in slide.shapes:
            if shape.name.startswith("slidegen:図"):
                number = int(shape.name.removeprefix("slidegen:図"))
                assert shape._element.xpath("./*[1]/p:cNvPr/@descr")[0].startswith(figure_label(number) + " ")
                described += 1
    assert described == 18


def test_an_official_can_replace_a_charts_data(native, tmp_path):
    """「データの編集」: new numbers redraw the chart, and the colours the figure gave stay."""
    buffer = io.BytesIO()
    native.save(buffer)
    prs = Presentation(io.BytesIO(buffer.getvalue()))
    shape = charts_of(prs)["slidegen:図13"]
    chart = shape.chart
    colours = [p.format.fill.fore_color.theme_color for p in chart.plots[0].series[0].points]
    data = CategoryChartData(number_format="0.0")
    data.categories = list(chart.plots[0].categories)
    data.add_series("改訂", [50.0] + list(chart.plots[0].series[0].values)[1:])
    chart.replace_data(data)
    saved = tmp_path / "edited.pptx"
    prs.save(str(saved))
    again = charts_of(Presentation(str(saved)))["slidegen:図13"].chart
    assert again.plots[0].series[0].values[0] == 50.0
    assert [p.format.fill.fore_color.theme_color for p in again.plots[0].series[0].points] == colours


def test_native_is_the_default_and_picture_keeps_the_images(r6, r6_build, tmp_path):
    result, _ = r6_build  # built with the defaults
    assert len(charts_of(Presentation(str(result.out / "R6_deck.pptx")))) == 21  # 18 figures, 3 of them pairs of charts
    pipeline.build(r6, out=tmp_path / "R6", charts="picture")
    prs = Presentation(str(tmp_path / "R6" / "R6_deck.pptx"))
    assert charts_of(prs) == {}
    pictures = [s.name for slide in prs.slides for s in slide.shapes if s.shape_type == 13]
    assert pictures == [f"slidegen:図{n}" for n in range(1, 19)]
    assert ROOT.exists()


def test_a_native_deck_is_byte_identical_when_rebuilt(r6, native_deck, tmp_path):
    """The workbook behind each chart is dated like the deck, so a rebuild gives the same bytes."""
    import time

    time.sleep(1.1)  # a workbook stamped with the clock would now differ
    out = tmp_path / "R6"
    pipeline.build(r6, out=out, pdf=True)
    assert (out / "R6_deck.pptx").read_bytes() == native_deck.read_bytes()


@LIBREOFFICE
def test_a_libreoffice_resave_keeps_the_charts_their_names_and_data(native_deck, tmp_path):
    """An official re-saving the deck in LibreOffice Impress: every chart keeps its stable name and
    its numbers (the placeholders do not keep theirs: LibreOffice 7.4 renames them PlaceHolder N)."""
    lo_edit(native_deck, tmp_path / "R6_deck.pptx")
    before, after = charts_of(Presentation(str(native_deck))), charts_of(Presentation(str(tmp_path / "R6_deck.pptx")))
    assert sorted(after) == sorted(before)
    for name, shape in before.items():
        assert list(after[name].chart.plots[0].series[0].values) == list(shape.chart.plots[0].series[0].values), name


def test_without_the_pdf_the_pptx_is_written_while_the_figures_are_drawn(r6, native_deck, tmp_path):
    """Native charts need no image, so a PPTX-only build lays the slides out first; the deck is the
    same. Without --figures no figure is rasterised, and none is written as a file."""
    messages: list[str] = []
    pipeline.build(r6, out=tmp_path / "R6", progress=messages.append)
    stages = [m.split(":")[0] for m in messages if not m.startswith("warning")]
    assert stages[stages.index("font"):] == ["font", "slides", "figures", "deck"]
    assert (tmp_path / "R6" / "R6_deck.pptx").read_bytes() == native_deck.read_bytes()
    assert not (tmp_path / "R6" / "figures").exists()


def test_every_shape_of_a_figure_has_a_stable_name(native):
    """The chart, its panels and each annotation (label, header, leader, bracket) are named after
    the figure, so a later slidegen finds what it drew."""
    import re

    for slide in native.slides:
        for group in slide.shapes:
            if group.shape_type != 6 or not group.name.startswith("slidegen:図"):
                continue
            for part in group.shapes:
                assert re.fullmatch(rf"{group.name}:(chart|実績|期待|意向|注記\d+|線\d+)", part.name), part.name


def _q4_changed(rows):
    """One body's 満足度 (Q4) moved from 1 to 2: figure 4 changes, the other figures do not."""
    q4 = rows[0].index("Q4")
    row = next(r for r in rows[1:] if r[q4] == "1")
    row[q4] = "2"


def test_a_rebuild_puts_the_figures_it_made_before_in_byte_for_byte(r6, tmp_path, own_cache, responses_copy, monkeypatch):
    """A build keeps each native figure it made (its shapes, charts and workbooks) in its cache; a
    build that finds them puts them in as they were — the same deck, byte for byte, made without
    drawing one chart — and one whose data changed a figure makes that one afresh among the kept
    others, giving the deck a build with nothing kept gives."""
    from slidegen.writers import pptx
    from slidegen.writers.native_parts import KeptFigures
    from slidegen.writers.outputs import Stable

    corrected = responses_copy(_q4_changed)
    fresh = pipeline.build(r6, out=tmp_path / "fresh")  # nothing kept: every figure made
    fresh_corrected = pipeline.build(r6, data=corrected, out=tmp_path / "fresh-corrected")
    kept = tmp_path / ".cache" / "fresh" / "charts"
    assert len(list(kept.glob("*.zip"))) == 18
    for f in kept.glob("*.zip"):  # each workbook kept as the deck zips it, which then takes it as it is
        figure = KeptFigures(kept).lookup(f.stem)
        assert figure is not None
        for _, _, xlsx in figure.charts:  # dated as the deck where it was written: the same bytes each time
            assert isinstance(xlsx, Stable)
            with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
                core = book.read("docProps/core.xml")
                assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            dated = xlsx.when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            assert core.count(dated.encode()) == 2  # created and modified
    for name in ("again", "again-corrected"):
        (tmp_path / ".cache" / name).mkdir()
        for f in kept.glob("*.zip"):
            (tmp_path / ".cache" / name / "charts").mkdir(exist_ok=True)
            (tmp_path / ".cache" / name / "charts" / f.name).write_bytes(f.read_bytes())
    monkeypatch.setenv(JOBS_VARIABLE, "1")  # the deck made in this process, where it can be watched
    made = []
    draw = pptx._add_native
    monkeypatch.setattr(pptx, "_add_native", lambda shapes, picture, *a: made.append(picture.figure) or draw(shapes, picture, *a))
    again = pipeline.build(r6, out=tmp_path / "again")
    assert (again.out / "R6_deck.pptx").read_bytes() == (fresh.out / "R6_deck.pptx").read_bytes()
    corrected_again = pipeline.build(r6, data=corrected, out=tmp_path / "again-corrected")
    deck = "R6_deck.pptx"
    assert (corrected_again.out / deck).read_bytes() == (fresh_corrected.out / deck).read_bytes()
    assert (corrected_again.out / deck).read_bytes() != (fresh.out / deck).read_bytes()
    assert made == [4]


def test_figures_made_in_another_process_give_the_same_deck(r6, tmp_path, own_cache, monkeypatch):
    """Where there are cores to spare, most of the native figures a deck must make are made in a
    process of their own, each on a slide of its own, and put into the deck as the writer meets
    them: the deck is the one a writer making every figure itself makes, byte for byte — a group's
    id among it (python-pptx gives a group the least id its slide has free, where the slide it was
    made on had none) — so the deck does not depend on how many cores made it."""
    from slidegen.pipeline import making

    handed: list[int] = []
    apart = making._made_apart
    monkeypatch.setattr(
        making, "_made_apart", lambda *args: (lambda got: handed.append(len(got or {})) or got)(apart(*args))
    )
    monkeypatch.setenv(JOBS_VARIABLE, "2")
    two = pipeline.build(r6, out=tmp_path / "two")
    monkeypatch.setenv(JOBS_VARIABLE, "1")
    one = pipeline.build(r6, out=tmp_path / "one")
    assert handed == [14, 0]  # 14 of the 18 figures made apart on two cores; none on one
    assert (two.out / "R6_deck.pptx").read_bytes() == (one.out / "R6_deck.pptx").read_bytes()
