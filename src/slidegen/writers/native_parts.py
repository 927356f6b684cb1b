"""Native figures kept between builds: the shapes a figure puts on its slide and its charts'
parts — each chart's XML and the workbook behind it — under the hash of everything they show.

Making a native chart is most of the time the PPTX writer takes (python-pptx writes each chart's
XML and its workbook, then every label, colour and axis is set one by one); a rebuild after a
correction changes one or two figures. :class:`KeptFigures` keeps each figure a build made in the
build's cache folder, and the next build puts a figure it finds there into the deck as it was
made: the same XML and workbooks, under the part names, relationship ids and shape ids this deck
gives them — in the order python-pptx gives them, so the deck is byte-identical to one made
afresh. A figure is kept under :func:`figure_key`: its chart spec, placement, name and alt text,
slidegen's code and the versions of the libraries that write it; anything else makes a new key.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from ..ooxml import qn
from ..slides import Picture
from .outputs import Stable, stable_ooxml, write_atomic

#: the libraries whose versions shape a native figure's XML and workbook
LIBRARIES = ("python-pptx", "XlsxWriter", "lxml")
#: the kept files' layout: files of another are not read
FORMAT = 1


@dataclass(frozen=True)
class KeptFigure:
    """One native figure as a build made it: ``shape``, its element on the slide (a chart's frame,
    or the group of its charts and annotations); ``charts``, each chart's relationship id on the
    slide, XML and workbook, in the order they were made; ``first`` and ``count``, the first shape
    id the figure took and how many ids it took (its shapes' ids are counted from there)."""

    shape: bytes
    charts: tuple[tuple[str, bytes, bytes], ...]
    first: int
    count: int


@dataclass(frozen=True)
class KeptFigures:
    """The folder a build keeps its native figures in (``charts/`` in its figure cache)."""

    folder: Path

    def has(self, key: str) -> bool:
        """Whether a figure is kept under ``key`` (:meth:`lookup` says whether it is whole)."""
        return (self.folder / f"{key}.zip").is_file()

    def lookup(self, key: str) -> KeptFigure | None:
        """The figure kept under ``key``, if it is here and whole (its workbooks :class:`Stable`
        where they were kept so)."""
        try:
            with zipfile.ZipFile(self.folder / f"{key}.zip") as z:
                meta = json.loads(z.read("figure.json"))
                if meta.get("format") != FORMAT:
                    return None
                when = datetime.fromisoformat(meta["stable"]) if meta.get("stable") else None
                charts = tuple(
                    (rid, z.read(f"chart{k}.xml"), _workbook(z.read(f"chart{k}.xlsx"), when))
                    for k, rid in enumerate(meta["charts"])
                )
                return KeptFigure(z.read("shape.xml"), charts, meta["first"], meta["count"])
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            return None

    def store(self, key: str, figure: KeptFigure) -> None:
        """Keep ``figure`` under ``key`` (written whole or not at all), and when its workbooks are
        :class:`Stable`, for which date."""
        out = io.BytesIO()
        meta: dict[str, Any] = {"format": FORMAT, "charts": [rid for rid, _, _ in figure.charts], "first": figure.first}
        whens = {x.when for _, _, x in figure.charts if isinstance(x, Stable)}
        if len(whens) == 1 and all(isinstance(x, Stable) for _, _, x in figure.charts):
            meta["stable"] = whens.pop().isoformat()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("figure.json", json.dumps({**meta, "count": figure.count}))
            z.writestr("shape.xml", figure.shape)
            for k, (_, xml, xlsx) in enumerate(figure.charts):
                z.writestr(f"chart{k}.xml", xml)
                z.writestr(f"chart{k}.xlsx", xlsx)
        write_atomic(self.folder / f"{key}.zip", out.getvalue())


def figure_key(picture: Picture) -> str:
    """A hash of everything a native figure's shapes and parts depend on: its chart spec, where it
    is placed, its name and alt text, slidegen's code and the writing libraries' versions."""
    assert picture.chart is not None and picture.area is not None
    # a frozen dataclass's repr names every field and value (a float as it reads back): quick and whole
    shown = repr((picture.chart, picture.area, picture.figure, picture.alt_text))
    return hashlib.sha256(f"{_code()}\0{shown}".encode()).hexdigest()


@cache
def _code() -> str:
    """slidegen's own code and the writing libraries' versions, as one hash (once per process)."""
    from ..inputs.versions import code_version, version

    digest = hashlib.sha256(code_version().encode())
    for name in LIBRARIES:
        digest.update(f"{name}={version(name)}".encode())
    return digest.hexdigest()


def _workbook(xlsx: bytes, when: datetime | None) -> bytes:
    return Stable(xlsx, when) if when is not None else xlsx


def record(shapes: Any, element: Any, before: int, when: datetime | None = None) -> KeptFigure:
    """The figure just made as ``element`` on the slide of ``shapes``, whose shapes took the ids
    after ``before``: its XML, and each chart's, with the workbook behind it — made
    :class:`Stable` for ``when`` (the deck's date) where given, here and in the deck."""
    part = shapes.part
    charts = []
    for chart in element.iter(qn("c:chart")):
        rid = chart.get(qn("r:id"))
        chart_part = part.related_part(rid)
        xlsx_part = chart_part.chart_workbook.xlsx_part
        if when is not None:
            xlsx_part._blob = stable_ooxml(xlsx_part.blob, when)
        charts.append((rid, chart_part.blob, xlsx_part.blob))
    charts.sort(key=lambda c: int(c[0].removeprefix("rId")))  # made in the order their ids were given
    return KeptFigure(etree.tostring(element), tuple(charts), before + 1, shapes._cached_max_shape_id - before)


def replay(shapes: Any, kept: KeptFigure) -> Any:
    """``kept`` put onto the slide of ``shapes`` as python-pptx would make it there: each chart's
    part and workbook named and related in the order they were made, the shapes' ids counted on
    from the slide's; the figure's element."""
    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml import parse_xml
    from pptx.parts.chart import ChartPart
    from pptx.parts.embeddedpackage import EmbeddedXlsxPart

    slide_part = shapes.part
    package = slide_part.package
    ids: dict[str, str] = {}
    for rid, xml, xlsx in kept.charts:  # as ChartPart.new, then SlidePart.add_chart_part
        chart_part = ChartPart.load(package.next_partname(ChartPart.partname_template), CT.DML_CHART, package, xml)
        xlsx_name = package.next_partname(EmbeddedXlsxPart.partname_template)
        xlsx_part = EmbeddedXlsxPart(xlsx_name, CT.SML_SHEET, package, xlsx)
        chart_part.relate_to(xlsx_part, RT.PACKAGE)
        ids[rid] = slide_part.relate_to(chart_part, RT.CHART)
    element = parse_xml(kept.shape)
    for chart in element.iter(qn("c:chart")):
        chart.set(qn("r:id"), ids[chart.get(qn("r:id"))])
    base = shapes._cached_max_shape_id  # turbo-add's count of the ids taken (see _add_slide)
    for c_nv_pr in element.iter(qn("p:cNvPr")):
        c_nv_pr.set("id", str(int(c_nv_pr.get("id")) - kept.first + base + 1))
    if element.tag == qn("p:grpSp"):
        # python-pptx gives a group the least id its slide has free once its shapes are made (not
        # the next one, as it gives the shapes): free where a placeholder was removed, say
        own = element.find(f"{qn('p:nvGrpSpPr')}/{qn('p:cNvPr')}")
        used = {int(v) for v in shapes._spTree.xpath("//@id") if v.isdigit()}
        used |= {int(c.get("id")) for c in element.iter(qn("p:cNvPr")) if c is not own}
        own.set("id", str(next(n for n in range(1, len(used) + 2) if n not in used)))
    shapes._cached_max_shape_id = base + kept.count
    shapes._spTree.append(element)
    return element


def quick_part_names(package: Any) -> None:
    """python-pptx's ``next_partname`` for ``package`` answering as it does — of the names made
    from a template (``/ppt/charts/chart%d.xml``), the highest free one up to their count plus
    one — from the names kept in a set, rather than by walking every relationship of the package
    for each new part (a deck adds some seventy: its notes slides, charts and their workbooks).
    The set is the package's part names now and each name given since: sound for a package no
    part is dropped from, whose parts named from a template are all named through it
    (python-pptx names slides and images otherwise, under names no such template makes)."""
    from pptx.opc.packuri import PackURI

    names = {str(part.partname) for part in package.iter_parts()}

    def next_partname(template: str) -> PackURI:
        prefix = template[: (template % 42).find("42")]
        count = sum(1 for name in names if name.startswith(prefix))
        name = next(template % n for n in range(count + 1, 0, -1) if template % n not in names)
        names.add(name)
        return PackURI(name)

    package.next_partname = next_partname
