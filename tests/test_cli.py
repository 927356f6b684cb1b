"""The slidegen command, run as a user runs it: exact output and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT
from openpyxl import load_workbook

from slidegen.cli import main

CONTRACT_SURVEY = {"target", "responses", "response_rate", "responses_by_kind", "response_rate_by_kind"}


def run(*args):
    return CliRunner().invoke(main, ["--root", str(ROOT), *args])


def test_every_command_has_help():
    for name in main.commands:
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage: main " + name in result.output or f"Usage: slidegen {name}" in result.output


def test_help_does_not_import_the_heavy_libraries():
    code = (
        "import sys\n"
        "from slidegen.cli import main\n"
        "try:\n    main(['--help'], prog_name='slidegen')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'openpyxl', 'matplotlib', 'reportlab', 'pptx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "Usage: slidegen" in out
    assert out.strip().endswith("[]")


def test_the_command_gives_numpy_one_blas_thread_unless_the_environment_sizes_it():
    """slidegen does no linear algebra: OpenBLAS's threads, one a core, spinning as numpy is
    imported, only take CPU from a build's other processes. The command sizes the pool to one
    thread; a size the environment gives is kept."""
    from slidegen.cli import one_blas_thread

    env = {"MKL_NUM_THREADS": "4"}
    one_blas_thread(env)
    assert env == {"MKL_NUM_THREADS": "4", "OPENBLAS_NUM_THREADS": "1"}
    threads = "os.environ.get('OPENBLAS_NUM_THREADS'), os.environ.get('MKL_NUM_THREADS')"
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    assert _at_exit_of_run(threads, clean) == "1 1"
    assert _at_exit_of_run(threads, {**clean, "OPENBLAS_NUM_THREADS": "2"}) == "2 1"


def _at_exit_of_run(expression: str, env: dict[str, str] | None = None) -> str:
    """What ``expression`` (over ``os`` and ``gc``) gives as ``slidegen --help``, run as the
    command runs (:func:`slidegen.cli.run`), exits."""
    code = (
        "import atexit, gc, os, sys\n"
        f"atexit.register(lambda: print(*[{expression}]))\n"
        "sys.argv = ['slidegen', '--help']\n"
        "from slidegen.cli import run\nrun()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    return out.splitlines()[-1]


def test_the_command_runs_without_the_cyclic_collector_but_a_pool_worker_collects(monkeypatch):
    """A run's own process leaves the cyclic collector off (its objects die with it, freed by
    their reference counts); a pool worker that makes deck after deck (build --by) turns it back
    on, so that what each deck leaves in cycles does not add up; bench/bench.py's floor imports
    with it off too, as a build does."""
    import gc

    from slidegen.build.parallel import COLLECT_EVERY, JOBS_VARIABLE, run_each

    monkeypatch.setenv(JOBS_VARIABLE, "2")  # a pool, even where the suite runs one job a worker
    assert _at_exit_of_run("gc.isenabled()") == "False"
    was = gc.isenabled()
    gc.disable()
    try:
        assert run_each([gc.isenabled, gc.get_threshold] * 2)[:2] == [True, COLLECT_EVERY]
    finally:
        if was:
            gc.enable()
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench

        assert bench.floor_code(["json"]).startswith("import gc\ngc.disable()\n")
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "slidegen", "--help"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("Usage: slidegen [OPTIONS] COMMAND [ARGS]...")


def test_tables_text():
    result = run("tables", "--year", "R6")
    assert result.exit_code == 0, result.output
    head = result.stdout.split("\n\n")[:3]
    assert head[0] == (
        "令和６年度 地方創生における金融機関との連携状況に係る自治体アンケート結果（R6）\n"
        "※ 本資料の数値はサンプルデータ（合成データ）によるもので、実際の回答ではありません。"
    )
    assert head[1] == (
        "調査概要\n"
        "  区分      調査対象  有効回答数  有効回答率％\n"
        "  全体         1,788       1,403          78.5\n"
        "  都道府県        47          47         100.0\n"
        "  市             792         693          87.5\n"
        "  町             743         533          71.7\n"
        "  村             183         115          62.8\n"
        "  特別区          23          15          65.2"
    )
    assert head[2] == (
        "図1 金融機関との連携状況（択一回答） n=1,403  （回答比率：％）\n"
        "  選択肢                      件数    ％\n"
        "  連携済みまたは連携予定あり   975  69.5\n"
        "  連携実績なし                 428  30.5"
    )
    assert "図8 金融機関がこれまで果たしてきた役割と今後期待する役割とのギャップ（差）（複数回答） n=975  （回答比率：％P）\n" \
           "  選択肢                        期待−実績\n" \
           "  地域経済動向に関する情報提供      +24.3\n" in result.stdout


def test_tables_json_contract(r6_tables):
    result = run("tables", "--year", "R6", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == r6_tables.to_dict()
    assert list(data) == ["year", "sample_data", "survey", "figures"]
    assert CONTRACT_SURVEY <= set(data["survey"])
    assert [f["number"] for f in data["figures"]] == list(range(1, 19))
    for figure in data["figures"]:
        assert list(figure) == ["number", "title", "answer", "n", "unit", "series"]
        for series in figure["series"]:
            assert list(series) == ["name", "rows"]
            assert all(list(row) == ["label", "count", "value"] for row in series["rows"])
    fig = {f["number"]: f for f in data["figures"]}
    assert [s["name"] for s in fig[7]["series"]] == ["実績", "期待"]
    assert [s["name"] for s in fig[15]["series"]] == ["実績", "意向"]
    assert (fig[1]["unit"], fig[8]["unit"], fig[9]["unit"]) == ("percent", "points", "times")
    assert fig[1]["series"][0]["rows"][0] == {"label": "連携済みまたは連携予定あり", "count": 975, "value": 69.5}
    assert fig[9]["series"][0]["rows"][0]["count"] is None
    assert data["survey"]["response_rate_by_kind"]["都道府県"] == 100.0


def test_tables_xlsx(tmp_path):
    path = tmp_path / "集計表.xlsx"
    result = run("tables", "--year", "R6", "--xlsx", str(path), "--json")
    assert result.exit_code == 0
    assert result.stderr == f"Wrote {path}\n"
    json.loads(result.stdout)  # stdout stays pure JSON
    wb = load_workbook(path)
    assert wb.sheetnames == ["調査概要", *[f"図{n}" for n in range(1, 19)]]
    ws = wb["図1"]
    assert ws["A1"].value == "【図1】金融機関との連携状況（択一回答）"
    assert ws["A2"].value.startswith("設問：Q1：地方創生の取組における金融機関との連携状況について")
    assert ws["A3"].value == "集計対象：回答自治体（n=1,403）　単位：回答比率：％"
    assert ws["A4"].value == "本資料の数値はサンプルデータ（合成データ）によるもので、実際の回答ではありません。"
    assert [c.value for c in ws[6]] == ["選択肢", "件数", "割合（％）"]
    assert [c.value for c in ws[7]][:3] == ["連携済みまたは連携予定あり", 975, 69.5]
    assert [c.value for c in wb["図7"][6]] == ["選択肢", "実績 件数", "実績 割合（％）", "期待 件数", "期待 割合（％）"]
    assert [c.value for c in wb["図8"][7]][:2] == ["地域経済動向に関する情報提供", 24.3]
    first = path.read_bytes()
    assert run("tables", "--year", "R6", "--xlsx", str(path)).exit_code == 0
    assert path.read_bytes() == first


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """The R6 集計表 as `slidegen tables --xlsx` writes it, opened."""
    path = tmp_path_factory.mktemp("xlsx") / "集計表.xlsx"
    assert run("tables", "--year", "R6", "--xlsx", str(path)).exit_code == 0
    return load_workbook(path)


def test_the_workbook_is_one_to_send(workbook):
    """Borders and a header fill, the deck's font, notes and 出典 on every figure's sheet, the
    sample notice on every sheet, printed one page wide with its title rows repeated, and
    document properties naming the survey's author."""
    wb = workbook
    notice = "本資料の数値はサンプルデータ（合成データ）によるもので、実際の回答ではありません。"
    for ws in wb.worksheets:
        texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        assert notice in texts, ws.title
        header = next(row for row in ws.iter_rows() if row[0].value in ("選択肢", "区分"))
        assert all(c.fill.fgColor.rgb.endswith("DDEBF7") and c.border.bottom.style == "thin" for c in header), ws.title
        assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {"BIZ UDPゴシック"}, ws.title
        # one page wide (1 is the format's default, which XlsxWriter leaves out), as many pages tall as it takes
        setup = ws.page_setup
        assert ws.print_title_rows and (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.orientation == "landscape"
        if ws.title != "調査概要":
            assert any(t.startswith("出典：内閣官房") for t in texts), ws.title
    f15 = [str(c.value) for row in wb["図15"].iter_rows() for c in row if c.value is not None]
    assert "※1：銀行（グループ会社を含む）、信用金庫、信用組合、政府系金融機関、保険、証券会社、農業協同組合" in f15
    assert any(t.startswith("意向が実績を2ポイント以上上回る項目：地方創生関連事業者 +13.1pt") for t in f15)
    assert "商工団体†" in f15 and any(t.startswith("†は例示の選択肢") for t in f15)
    f4 = [str(c.value) for row in wb["図4"].iter_rows() for c in row if c.value is not None]
    assert "概ね満足している（1・2の計）：86.1％" in f4
    f12 = [str(c.value) for row in wb["図12"].iter_rows() for c in row if c.value is not None]
    assert any(t.startswith("※倍率は回答数から算出") for t in f12)
    assert wb.properties.creator == "内閣官房 新しい地方経済・生活環境創生本部事務局"
    assert wb.properties.title.endswith("集計表") and "openpyxl" not in (wb.properties.creator, wb.properties.lastModifiedBy)


def test_the_workbook_shows_each_figure_as_its_slide_does(workbook):
    """Issue 21, item 4: rows in the slide's order, labelled as the slide labels them (※, †), a
    合計 where a single answer's shares add up, page numbers, the 出典 in the deck's words once per
    sheet (the data's provenance kept in the document's properties)."""
    wb = workbook

    def rows(name):
        ws = wb[name]
        start = next(i for i, row in enumerate(ws.iter_rows(values_only=True)) if row[0] == "選択肢")
        found = []
        for row in list(ws.iter_rows(values_only=True))[start + 1:]:
            if row[0] is None or len([v for v in row if v is not None]) < 2:
                break
            found.append(list(row))
        return found

    assert [r[2] for r in rows("図3")][:2] == [58.2, 47.5]  # ranked, as the slide: was questionnaire order
    assert [r[0] for r in rows("図15")][:3] == ["教育機関", "金融機関※1", "商工団体†"]
    assert rows("図2")[-1] == ["合計", 975, 100.0] and rows("図3")[-1][0] == "無回答"  # a multiple answer has none
    for ws in wb.worksheets:
        texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        assert sum(t.startswith("出典：") for t in texts) == 1 and not any("SHA-256" in t for t in texts), ws.title
        assert ws.oddFooter.center.text == "&P / &N"
    assert "SHA-256" in wb.properties.identifier


def test_tables_xlsx_without_a_name_writes_beside_the_deck(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "layouts", root / "layouts")
    result = CliRunner().invoke(main, ["--root", str(root), "tables", "--year", "R6", "--xlsx"])
    assert result.exit_code == 0, result.output
    written = root / "output" / "R6" / "R6_集計表.xlsx"
    assert result.stderr == f"Wrote {written}\n"
    built = CliRunner().invoke(main, ["--root", str(root), "build", "--year", "R6"])  # the build replaces its own
    assert built.exit_code == 0, built.output
    assert "  R6_集計表.xlsx" in built.stdout.splitlines()


def test_unknown_year():
    result = run("tables", "--year", "R9")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: No survey year 'R9': {ROOT}/data/R9/codebook.yaml does not exist. Years in this project: R6.\n"
    )


def test_not_a_project(tmp_path):
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "tables", "--year", "R6"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path} is not a slidegen project folder: it has no data/municipalities.csv.\n"


def test_bad_data_exits_1_and_writes_nothing(responses_copy, tmp_path):
    def edit(rows):
        rows[1][rows[0].index("Q1")] = "3"
    data = responses_copy(edit)
    xlsx = tmp_path / "out.xlsx"
    result = run("tables", "--year", "R6", "--data", str(data), "--xlsx", str(xlsx))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 1 problem in the response table; nothing was written:\n")
    assert f"{data}: row 団体コード 010006 (line 2), column Q1: value '3': expected one of 1" in result.stderr
    assert not xlsx.exists()
    assert list(tmp_path.iterdir()) == [data]


def test_missing_data_file(tmp_path):
    result = run("tables", "--year", "R6", "--data", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nope.csv'}: no such file.\n"
