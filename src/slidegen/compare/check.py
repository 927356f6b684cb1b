"""``slidegen check``: an audit of a deck slidegen built, however people have edited it since.

:func:`audit` reads a deck — saved by PowerPoint or LibreOffice, its slides moved, copied or
deleted, its charts' data edited — beside the slide model of today's data
(:func:`slidegen.pipeline.current_deck`), and traces every number a person can read in it:

- **sentences and other texts slidegen wrote** (found by name, text, box or likeness, as ``update``
  finds them): each paragraph is paired with the one the data gives today (by its words with the
  numbers masked) and their numbers compared in order; a number typed into it agrees when the data
  gives it on that slide; a data phrase (an item named by a ranking) still as it was when the data
  now names another is reported too;
- **charts**: each bar's or part's value in the chart's own data against the data's, by label;
  labels typed into the chart (static data labels: a gain 「25.7 ＋13.1pt」) against the values of
  their point; a value axis whose maximum would cut an edited bar;
- **the figure's other shapes** (a doughnut's labels and centre share, a band's labels and its
  bracket): each number against the value of the option it names, else the figure's values;
  **alt text** against the figure's alt text of today;
- **notes**: slidegen's lines paired with today's, the officials' lines as below;
- **everything else on a slide** — text boxes, tables and paragraphs people added: every number
  written as data (with ％, 割, pt, 倍, 団体, 件 or after n=) must be one the data gives on that
  slide (on a slide slidegen did not make: anywhere in the deck).

Each number it cannot vouch for is a :class:`Finding` naming the slide as the deck now stands
(スライドN), the place (図N, 本文, 注記, ノート), what it says and what the data gives.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..figures.kinds import KINDS
from ..ooxml import C15, GROUP, PICTURE, A, C
from ..record import BlockRecord, Record
from ..record.located import (
    LIKENESS,
    alt_text_of,
    chart_values,
    figure_in,
    figure_of,
    heading_of,
    locate_block,
    model_slide,
    name_of,
    paragraph_text,
    paragraphs_of,
    place,
    slide_origins,
    walk,
)
from ..record.numbers import Key, Number, keys, masked, normal, numbers, value_key
from ..slides import Deck, Picture, Slide, TextBlock


@dataclass(frozen=True)
class Finding:
    """A number in the deck that the data does not give: where it stands and what the data gives."""

    slide: int  # as the deck now stands
    place: str
    says: str
    data: str

    def line(self) -> str:
        return f"{self.place}：{self.says} — {self.data}"


@dataclass
class Audit:
    """What ``check`` found: the numbers that contradict the data, and how many it compared."""

    findings: list[Finding] = field(default_factory=list)
    checked: int = 0
    foreign: list[int] = field(default_factory=list)  # slides slidegen did not make
    claims: list[str] = field(default_factory=list)
    headings: dict[int, str] = field(default_factory=dict)  # each slide's heading, as the deck now stands
    #: the figures with no alt text (a LibreOffice re-save drops every one): slide as the deck now stands, figure
    no_alt: list[tuple[int, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings and not self.claims and not self.no_alt

    def finding_lines(self) -> list[str]:
        """Each slide with a number the data does not give, its findings indented under it."""
        out: list[str] = []
        by_slide: dict[int, list[Finding]] = {}
        for f in self.findings:
            by_slide.setdefault(f.slide, []).append(f)
        for number in sorted(by_slide):
            heading = self.headings.get(number, "")
            out.append(f"スライド{number}" + (f"（{heading}）" if heading else ""))
            out += [f"  {f.line()}" for f in by_slide[number]]
        return out

    def lines(self) -> list[str]:
        """The report: the findings by slide; the claims the data no longer supports; the slides
        slidegen did not make; the count."""
        out = self.finding_lines()
        out += [f"要確認：{c}" for c in self.claims]
        if self.no_alt:
            out.append(
                f"要確認：代替テキストがない図 {len(self.no_alt)}件（{_figures_by_slide(self.no_alt)}）— {NO_ALT}"
            )
        if self.foreign:
            slides = "、".join(f"スライド{n}" for n in self.foreign)
            out.append(f"slidegenが作っていないスライド（データの単位のある数値だけを照合）：{slides}")
        agreed = self.checked - len(self.findings)
        verdict = "データと食い違う数値はない" if not self.findings else f"データと食い違う数値 {len(self.findings)}件"
        out.append(f"照合した数値 {self.checked}件（一致 {agreed}件）：{verdict}")
        return out


#: what a figure without alt text means, and what to do (LibreOffice drops them all when it saves)
NO_ALT = (
    "読み上げソフトに図の内容が伝わらず、代替テキストの数値も照合できない"
    "（LibreOfficeで保存すると消える）。slidegen update で戻る"
)


def _figures_by_slide(figures: list[tuple[int, int]]) -> str:
    """「スライド3 図1、スライド4 図2・図3」: figures (slide, figure) named under their slides."""
    by_slide: dict[int, list[int]] = {}
    for slide, figure in figures:
        by_slide.setdefault(slide, []).append(figure)
    return "、".join(f"スライド{s} " + "・".join(f"図{f}" for f in by_slide[s]) for s in sorted(by_slide))


class _Expected:
    """What today's data gives on one slide: its text blocks by role, its figures, its notes, and
    every number it shows (what a typed number may agree with)."""

    def __init__(self, slide: Slide | None, pictures: dict[int, Picture]):
        self.slide = slide
        self.blocks: dict[str, TextBlock] = {b.role: b for b in slide.blocks} if slide else {}
        self.figures = [p.figure for p in slide.pictures] if slide else []
        self.keys: set[Key] = set()
        if slide is not None:
            for b in slide.blocks:
                self.keys |= keys(b.text)
            self.keys |= keys(slide.notes)
            for p in slide.pictures:
                self.keys |= figure_keys(p) | keys(p.alt_text)

    def place(self, role: str) -> str:
        return place(role, self.figures)


def figure_keys(picture: Picture) -> set[Key]:
    """Every number a figure shows: its bars' values, its gains, its bracket sum and centre share."""
    found: set[Key] = set()
    if picture.chart is None:
        return keys(picture.alt_text)
    spec = picture.chart
    for panel in spec.panels:
        found |= {value_key(b.value) for b in panel.bars}
        for note in panel.notes.values():
            found |= keys(note)
    if spec.bracket is not None:
        found.add(value_key(spec.bracket[1]))
    if spec.center is not None:
        found.add(value_key(spec.center[1]))
    return found


def _snippet(text: str, number: Number, width: int = 10) -> str:
    """``number`` in its context, as the deck writes it (full-width digits and all), 「…約7割の…」の 7割."""
    shown = text if len(text) == len(normal(text)) else normal(text)  # NFKC kept every character's place
    a, b = max(number.start - width, 0), min(number.end + width, len(shown))
    return f"「{'…' if a else ''}{shown[a:b]}{'…' if b < len(shown) else ''}」の {_written(text, number)}"


def _written(text: str, number: Number) -> str:
    """A number as the text writes it (６９．５％ stays full-width)."""
    return text[number.start : number.end] if len(text) == len(normal(text)) else number.written


class _Auditor:
    def __init__(self, deck: Deck, record: Record):
        self.deck = deck
        self.record = record
        self.audit = Audit()
        self.pictures = {p.figure: p for s in deck.slides for p in s.pictures}
        self.all_keys: set[Key] = set()
        self.model_of = {entry.slide: model_slide(entry, deck) for entry in record.slides}
        self.expected = {k: _Expected(s, self.pictures) for k, s in self.model_of.items()}
        for e in self.expected.values():
            self.all_keys |= e.keys
        self.blocks: dict[int, list[BlockRecord]] = {}
        for b in record.blocks:
            self.blocks.setdefault(b.slide, []).append(b)

    def contradicts(self, slide: int, place: str, says: str, data: str) -> None:
        self.audit.findings.append(Finding(slide, place, says, data))

    # ---- texts ------------------------------------------------------------------------------------

    def loose(self, slide: int, place: str, text: str, allowed: set[Key]) -> None:
        """A text slidegen did not write: each number written as data must be one the data gives."""
        raw, text = text, normal(text)
        for number in numbers(text):
            if not number.is_data:
                continue
            self.audit.checked += 1
            if number.key not in allowed:
                self.contradicts(slide, place, _snippet(raw, number), "データにない値")

    def paired(self, slide: int, place: str, says: str, model: str, allowed: set[Key]) -> None:
        """A paragraph slidegen wrote beside the one today's data gives: their numbers in order."""
        d_text, e_text = normal(says), normal(model)
        d, e = numbers(d_text), numbers(e_text)
        matcher = difflib.SequenceMatcher(None, [n.key for n in d], [n.key for n in e], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                self.audit.checked += i2 - i1
                continue
            for k, number in enumerate(d[i1:i2]):
                self.audit.checked += 1
                if tag == "replace" and k < j2 - j1:
                    if number.key != e[j1 + k].key:
                        self.contradicts(
                            slide,
                            place,
                            _snippet(says, number),
                            f"データでは {_written(model, e[j1 + k])}",
                        )
                elif number.key not in allowed and number.is_data:  # a number typed into the sentence
                    self.contradicts(slide, place, _snippet(says, number), "データにない値")

    def block(self, slide: int, shape: Any, old: BlockRecord, expected: _Expected) -> None:
        """A text block slidegen wrote, as it now reads, against what today's data gives."""
        model = expected.blocks.get(old.role)
        place = expected.place(old.role)
        deck_paragraphs = [paragraph_text(p) for p in paragraphs_of(shape)]
        if model is None:
            for text in deck_paragraphs:
                self.loose(slide, place, text, expected.keys)
            return
        new = [p.text for p in model.paragraphs]
        new_phrases = list(model.phrases) or [() for _ in new]
        old_phrases = list(old.phrases) or [() for _ in old.paragraphs]
        used: set[int] = set()
        for text in deck_paragraphs:
            if not text.strip():
                continue
            j = _pair(text, new, used)
            if j is None:
                self.loose(slide, place, text, expected.keys)
                continue
            used.add(j)
            self.paired(slide, place, text, new[j], expected.keys)
            olds = old_phrases[j] if j < len(old_phrases) else ()
            news = new_phrases[j] if j < len(new_phrases) else ()
            for a, b in zip(olds, news):
                if a != b and not any(c.isdigit() for c in normal(a)) and a in text and b not in text:
                    self.contradicts(slide, place, f"「{a}」", f"データでは「{b}」")

    # ---- figures ----------------------------------------------------------------------------------

    def chart(self, slide: int, frame: Any, figure: int, part: str, order: int) -> None:
        picture = self.pictures.get(figure)
        if picture is None or picture.chart is None:
            self.contradicts(slide, f"図{figure}", "グラフ", "今のデータにない図（deck.yaml から外された）")
            return
        spec = picture.chart
        panel = next((p for p in spec.panels if p.name == part), None)
        if panel is None:
            panel = spec.panels[min(order, len(spec.panels) - 1)]
        chart = _chart(frame)
        if chart is None:
            self.contradicts(
                slide, f"図{figure}", "グラフのデータが読めない（壊れている）", "作り直すには slidegen build"
            )
            return
        place = f"図{figure} グラフのデータ"
        try:
            shown = chart_values(chart, spec.kind)
        except (IndexError, TypeError, ValueError):
            self.contradicts(slide, place, "グラフのデータが読めない（壊れている）", "作り直すには slidegen build")
            return
        bars = {b.label: b for b in panel.bars}
        unmatched = [b for b in panel.bars if b.label not in {label for label, _ in shown}]
        for label, value in shown:
            self.audit.checked += 1
            bar = bars.get(label) or (unmatched.pop(0) if unmatched else None)
            if bar is None:
                self.contradicts(slide, place, f"「{label}」 {value:.1f}", "データにない項目")
            elif value_key(value) != value_key(bar.value):
                self.contradicts(slide, place, f"「{label}」 {value:.1f}", f"データでは {bar.value:.1f}")
        self.static_labels(slide, figure, chart, panel.bars, panel.notes, spec.kind)
        limit = chart._chartSpace.find(f".//{{{C}}}valAx/{{{C}}}scaling/{{{C}}}max")
        if not KINDS[spec.kind].labels_at_parts and limit is not None and shown:
            top = max(v for _, v in shown)
            if top > float(limit.get("val")):
                self.contradicts(
                    slide,
                    f"図{figure} 軸",
                    f"最大値 {float(limit.get('val')):g} を超える値 {top:.1f}",
                    "棒が切れて見える",
                )

    def static_labels(
        self, slide: int, figure: int, chart: Any, bars: Iterable[Any], notes: dict[int, str], kind: str
    ) -> None:
        """What a chart's labels show that is not its values: text typed into a label (by an
        official, over the value) and text taken from the workbook's cells (a gain: what a
        renderer that does not compute shows is the text cached with it) — against the value and
        the gain of its point; and the title linked to a cell (a bracket's sum, a centre share)."""
        bars = list(bars)
        for ser_k, ser in enumerate(chart._chartSpace.iter(f"{{{C}}}ser")):
            cached = {
                int(pt.get("idx", "0")): "".join(pt.itertext())
                for pt in ser.iterfind(f".//{{{C15}}}dlblRangeCache/{{{C}}}pt")
            }
            for d_lbl in ser.iter(f"{{{C}}}dLbl"):
                rich = d_lbl.find(f"{{{C}}}tx/{{{C}}}rich")
                idx = d_lbl.find(f"{{{C}}}idx")
                if rich is None or idx is None:
                    continue
                point = int(idx.get("val", "0"))
                k = ser_k if KINDS[kind].parts_are_series else point
                parts = []
                for run in rich.iter(f"{{{A}}}r", f"{{{A}}}fld"):
                    kind_ = run.get("type") if run.tag == f"{{{A}}}fld" else None
                    if kind_ == "CELLRANGE":
                        parts.append(cached.get(point, ""))
                    elif kind_ is None:
                        parts.append("".join(t.text or "" for t in run.iter(f"{{{A}}}t")))
                    # a VALUE, CATEGORYNAME or SERIESNAME field: the chart's data, drawn as it is
                text = "".join(parts)
                allowed: set[Key] = set()
                if k < len(bars):
                    allowed.add(value_key(bars[k].value))
                    allowed |= keys(notes.get(k, ""))
                for number in numbers(normal(text)):
                    self.audit.checked += 1
                    if number.key not in allowed:
                        data = (
                            f"データでは「{notes[k]}」"
                            if k < len(bars) and k in notes
                            else (f"データでは {bars[k].value:.1f}" if k < len(bars) else "データにない値")
                        )
                        self.contradicts(slide, f"図{figure} ラベル", f"「{' '.join(text.split())}」", data)
        title = chart._chartSpace.find(f"{{{C}}}chart/{{{C}}}title")
        picture = self.pictures.get(figure)
        if title is not None and picture is not None and picture.chart is not None:
            centre = picture.chart.center  # a doughnut's title is its centre share, whose name stands beside it
            said = "".join(t.text or "" for t in title.iter(f"{{{A}}}t", f"{{{C}}}v"))
            self.labelled(slide, figure, said, centre[0] if centre is not None else None)

    def annotation(self, slide: int, shape: Any, figure: int) -> None:
        """A text shape of a figure (a header, a label drawn as a shape)."""
        self.labelled(slide, figure, "\n".join(paragraph_text(p) for p in paragraphs_of(shape)))

    def labelled(self, slide: int, figure: int, raw: str, name: str | None = None) -> None:
        """A text a figure shows beside its chart's values (a label, the centre share, the bracket):
        a number beside an option's name (or of the option ``name``) must be that option's value;
        any other one of the figure's."""
        picture = self.pictures.get(figure)
        text, shown = normal(raw), f"「{' '.join(raw.split())}」"
        if picture is None:
            return
        allowed = figure_keys(picture)
        named = _named_values(picture)
        words = masked(text).replace("#", "").replace("%", "").strip()
        flat_text = "".join(text.split())
        contained = [(normal("".join(label.split())), key) for label, key in named]
        contained = [(label, key) for label, key in contained if label and label in flat_text]
        # the option it names: the longest name in it (「満足している」 is inside 「どちらかと言えば満足している」)
        own = max(contained, key=lambda c: len(c[0]), default=None) if words else None
        if name is not None:
            own = next(((label, key) for label, key in named if label == name), own)
        for number in numbers(text):
            self.audit.checked += 1
            if own is not None and number.key != own[1]:
                self.contradicts(slide, f"図{figure} ラベル", shown, f"データでは {own[1][0]}")
            elif number.key not in allowed:
                self.contradicts(slide, f"図{figure} ラベル", shown, "データにない値")

    def alt_text(self, slide: int, shape: Any, figure: int) -> None:
        descr = alt_text_of(shape)
        picture = self.pictures.get(figure)
        if picture is None:
            return
        if not descr.strip():  # nothing for a screen reader, and no numbers to trace: said, not passed over
            self.audit.no_alt.append((slide, figure))
            return
        self.paired(slide, f"図{figure} 代替テキスト", descr, picture.alt_text, figure_keys(picture))

    def picture(self, slide: int, shape: Any, figure: int) -> None:
        picture = self.pictures.get(figure)
        self.audit.checked += 1
        if picture is None:
            self.contradicts(slide, f"図{figure}", "画像", "今のデータにない図（deck.yaml から外された）")
        elif picture.png and shape.image.blob != picture.png:
            self.contradicts(slide, f"図{figure}", "画像が今のデータで描いた図と違う", "slidegen update で差し替える")

    # ---- slides -----------------------------------------------------------------------------------

    def slide(self, number: int, slide: Any, origin: int | None) -> None:
        expected = self.expected.get(origin) if origin is not None else None
        if expected is not None and expected.slide is None:  # deck.yaml no longer has it: as a slide of people's
            expected = None
        allowed = expected.keys if expected is not None else self.all_keys
        if expected is None:
            self.audit.foreign.append(number)
        self.audit.headings[number] = heading_of(slide) or (
            expected.slide.heading if expected and expected.slide else ""
        )
        claimed: set[Any] = set()
        if expected is not None:
            for old in self.blocks.get(origin or 0, []):
                shape = locate_block(slide, old, claimed)
                if shape is not None:
                    claimed.add(shape._element)
                    self.block(number, shape, old, expected)
        self.shapes(number, slide.shapes, None, claimed, allowed)
        self.notes(number, slide, expected, allowed)

    def shapes(self, number: int, shapes: Any, figure: int | None, claimed: set[Any], allowed: set[Key]) -> None:
        charts_in_group = 0
        for shape in shapes:
            named = figure_of(name_of(shape))
            own = figure_in(shape) if shape.shape_type == GROUP or named is not None else None
            here = own if own is not None else figure
            if own is not None and (named is None or named[1] == ""):
                self.alt_text(number, shape, own)
            if shape.shape_type == GROUP:  # a group: its shapes belong to its figure
                self.shapes(number, shape.shapes, here, claimed, allowed)
                continue
            if getattr(shape, "has_chart", False):
                found = here if here is not None else self._figure_by_labels(shape)
                if found is None:
                    self.loose_chart(number, shape, allowed)
                else:
                    self.chart(number, shape, found, named[1] if named else "", charts_in_group)
                charts_in_group += 1
            elif shape.shape_type == PICTURE and here is not None:
                self.picture(number, shape, here)
            elif getattr(shape, "has_table", False):
                for row in shape.table.rows:
                    for cell in row.cells:
                        self.loose(number, "表", cell.text, allowed)
            elif shape.has_text_frame and shape._element not in claimed:
                if here is not None:
                    self.annotation(number, shape, here)
                else:
                    for p in paragraphs_of(shape):
                        self.loose(number, "テキスト", paragraph_text(p), allowed)

    def _figure_by_labels(self, frame: Any) -> int | None:
        """The figure an unnamed chart (copied, renamed) shows, by its labels."""
        chart = _chart(frame)
        if chart is None:
            return None
        for n, picture in self.pictures.items():
            if picture.chart is None:
                continue
            try:
                labels = {label for label, _ in chart_values(chart, picture.chart.kind)}
            except (IndexError, TypeError, ValueError):
                continue
            if any(labels == {b.label for b in p.bars} for p in picture.chart.panels):
                return n
        return None

    def loose_chart(self, number: int, frame: Any, allowed: set[Key]) -> None:
        chart = _chart(frame)
        if chart is None:
            return
        for plot in chart.plots:
            for series in plot.series:
                for value in series.values:
                    if value is not None:
                        self.audit.checked += 1
                        if value_key(value) not in allowed:
                            self.contradicts(number, "グラフ", f"{value:.1f}", "データにない値")

    def notes(self, number: int, slide: Any, expected: _Expected | None, allowed: set[Key]) -> None:
        if not slide.has_notes_slide:
            return
        frame = slide.notes_slide.notes_text_frame
        if frame is None:
            return
        model = expected.slide.notes.split("\n") if expected is not None and expected.slide is not None else []
        masks = [masked(normal(line)) for line in model]
        used: set[int] = set()
        for p in frame._txBody.findall(f"{{{A}}}p"):
            text = paragraph_text(p)
            if not text.strip():
                continue
            mask = masked(normal(text))
            j = next((j for j, m in enumerate(masks) if m == mask and j not in used), None)
            if j is None:
                self.loose(number, "ノート", text, allowed)
            else:
                used.add(j)
                self.paired(number, "ノート", text, model[j], allowed)


def _chart(frame: Any) -> Any:
    try:
        return frame.chart
    except (KeyError, ValueError, AttributeError):
        return None


def _named_values(picture: Picture) -> list[tuple[str, Key]]:
    """(name, value) of everything a figure labels: its bars, its centre share, its bracket sum."""
    assert picture.chart is not None
    spec = picture.chart
    named = [(b.label, value_key(b.value)) for p in spec.panels for b in p.bars]
    if spec.center is not None:
        named.append((spec.center[0], value_key(spec.center[1])))
    if spec.bracket is not None:
        named.append((spec.bracket[0], value_key(spec.bracket[1])))
    return named


def _pair(text: str, candidates: list[str], used: set[int]) -> int | None:
    """The paragraph of ``candidates`` that ``text`` is a version of: the same words with other
    numbers, else the likest (at least :data:`LIKENESS` alike)."""
    mask = masked(normal(text))
    masks = [masked(normal(c)) for c in candidates]
    for j, m in enumerate(masks):
        if j not in used and m == mask:
            return j
    scored = [
        (difflib.SequenceMatcher(None, mask, m, autojunk=False).ratio(), -j)
        for j, m in enumerate(masks)
        if j not in used
    ]
    best = max(scored, default=(0.0, 0))
    return -best[1] if best[0] >= LIKENESS else None


def audit(data: bytes, deck: Deck, record: Record) -> Audit:
    """Every number of the deck ``data`` (which carries slidegen's ``record``) traced to the slide
    model ``deck`` of today's data."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    auditor = _Auditor(deck, record)
    for number, (slide, origin) in enumerate(zip(prs.slides, slide_origins(prs, record)), start=1):
        auditor.slide(number, slide, origin)
    text = "\n".join(
        normal(paragraph_text(p))
        for slide in prs.slides
        for s in walk(slide.shapes)
        if s.has_text_frame
        for p in paragraphs_of(s)
    )
    for claim in deck.broken_claims:
        sentence = claim.split("「", 1)[-1].rstrip("」")
        if normal(sentence) in text:
            auditor.audit.claims.append(claim)
    return auditor.audit
