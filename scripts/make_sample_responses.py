"""Generate the synthetic response table of a survey year (shipped as data/<year>/responses.csv).

The real per-body answers of the survey are not public. This script draws, from a fixed seed,
one response per responding body such that aggregating the table gives every value the
published deck states (data/<year>/published.yaml) and makes its claims true; everything the
deck does not publish follows the illustrative targets of data/<year>/sample-targets.yaml.

    python scripts/make_sample_responses.py --year R6            # rewrite data/R6/responses.csv
    python scripts/make_sample_responses.py --year R6 --out X.csv

Running it again gives the same bytes. It uses only the standard library's random module
(whose sequence for a seed is stable across Python versions), never numpy's.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from pathlib import Path

import yaml

from slidegen.aggregate import aggregate, percent
from slidegen.figures.kinds import KINDS
from slidegen.inputs.codebook import NO_ANSWER, Codebook, Question, load_codebook, option_column
from slidegen.inputs.master import Body, load_master
from slidegen.inputs.project import find_root, open_year
from slidegen.inputs.reading import RawTable
from slidegen.inputs.responses import CODE, NAME, check_responses


def count_for(value: float, n: int) -> int:
    """The count of ``n`` whose rounded percentage is ``value``, or the nearest one."""
    estimate = round(value * n / 100)
    exact = [c for c in range(max(0, estimate - 3), min(n, estimate + 3) + 1) if percent(c, n) == value]
    if exact:
        return min(exact, key=lambda c: (abs(c - value * n / 100), c))
    return max(0, min(n, estimate))


def pick(rng: random.Random, bodies: list[Body], k: int, weight) -> list[Body]:
    """``k`` of ``bodies`` drawn without replacement, likelier by ``weight(body)`` (Efraimidis-Spirakis)."""
    keyed = [(rng.random() ** (1.0 / weight(b)), b.code, b) for b in bodies]
    keyed.sort(key=lambda t: (-t[0], t[1]))
    return [b for _, _, b in keyed[:k]]


class Generator:
    def __init__(self, codebook: Codebook, master: dict[str, Body], targets: dict, published: dict):
        self.codebook = codebook
        self.master = master
        self.targets = targets
        self.published = {f["fig"]: f for f in published["figures"]}
        self.rng = random.Random(targets["seed"])
        self.answers: dict[str, dict[str, str]] = {}  # code -> column -> cell
        self.notes: list[str] = []

    def respondents(self) -> list[Body]:
        chosen = []
        for kind, k in self.targets["respondents"].items():
            pool = [b for b in self.master.values() if b.kind == kind]
            chosen += self.rng.sample(pool, k)
        return sorted(chosen, key=lambda b: b.code)

    def run(self) -> str:
        bodies = self.respondents()
        self.answers = {b.code: {c: "" for c in self.codebook.columns} for b in bodies}
        self.engagement = {b.code: 0.6 + 0.8 * self.rng.random() for b in bodies}
        self.q1(bodies)
        for question in self.codebook.questions.values():
            if question.id == "Q1":
                continue
            base = self.base(question, bodies)
            if question.answer == "single":
                self.single(question, base)
            else:
                self.multi(question, base)
        return self.csv(bodies)

    def base(self, question: Question, bodies: list[Body]) -> list[Body]:
        base = self.codebook.bases[question.base]
        if base.question is None:
            return bodies
        return [b for b in bodies if self.answers[b.code][base.question] in {str(c) for c in base.codes}]

    def q1(self, bodies: list[Body]) -> None:
        question = self.codebook.questions["Q1"]
        for kind, counts in self.targets["Q1"].items():
            pool = [b for b in bodies if b.kind == kind]
            if sum(counts) != len(pool):
                raise SystemExit(f"Q1 counts for {kind} add to {sum(counts)}, not its {len(pool)} respondents")
            order = pick(self.rng, pool, len(pool), lambda b: 1.0)
            start = 0
            for option, k in zip(question.options, counts):
                for b in order[start:start + k]:
                    self.answers[b.code]["Q1"] = str(option.code)
                start += k

    def single(self, question: Question, base: list[Body]) -> None:
        spec = self.targets["published"][question.id]
        figure = self.published[spec["figure"]]
        n = len(base)
        codes = {o.label: o.code for o in question.options} | {NO_ANSWER: None}
        counts = {codes[label]: count_for(value, n) for label, value in figure["values"].items()}
        absorb = spec.get("absorb")
        short = n - sum(counts.values())
        if short:
            if absorb is None:
                raise SystemExit(f"{question.id}: published counts add to {n - short}, not {n}; name an option to absorb it")
            key = codes[absorb]
            counts[key] += short
            self.notes.append(
                f"{question.id} {absorb}: {percent(counts[key], n)} (published {figure['values'][absorb]}); "
                f"no whole counts that add to {n} give every published value"
            )
        weights = spec.get("weights", {})
        remaining = list(base)
        for code, k in counts.items():
            w = weights.get(code, {})
            chosen = pick(self.rng, remaining, k, lambda b: w.get(b.kind, 1.0))
            for b in chosen:
                self.answers[b.code][question.id] = "" if code is None else str(code)
            taken = {b.code for b in chosen}
            remaining = [b for b in remaining if b.code not in taken]

    def multi(self, question: Question, base: list[Body]) -> None:
        n = len(base)
        blank = set(b.code for b in pick(self.rng, base, round(n * self.targets["no_answer_percent"] / 100), lambda b: 1.0))
        answering = [b for b in base if b.code not in blank]
        activity = self.targets["activity"]
        ticks: dict[str, set[int]] = {b.code: set() for b in answering}
        for option in question.options:
            k = count_for(self.targets["percent"][question.id][option.code], n)
            for b in pick(self.rng, answering, k, lambda b: activity[b.kind] * self.engagement[b.code]):
                ticks[b.code].add(option.code)
        self._no_empty_answers(ticks)
        for b in answering:
            for option in question.options:
                self.answers[b.code][option_column(question.id, option.code)] = "1" if option.code in ticks[b.code] else "0"

    def _no_empty_answers(self, ticks: dict[str, set[int]]) -> None:
        """Move ticks from bodies with several to bodies with none, keeping every option's count."""
        empty = [code for code, t in ticks.items() if not t]
        donors = [code for code, t in ticks.items() if len(t) >= 2]
        for code in empty:
            self.rng.shuffle(donors)
            donor = next(d for d in donors if len(ticks[d]) >= 2)
            option = sorted(ticks[donor])[self.rng.randrange(len(ticks[donor]))]
            ticks[donor].discard(option)
            ticks[code].add(option)

    def csv(self, bodies: list[Body]) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([CODE, NAME, *self.codebook.columns])
        for b in bodies:
            writer.writerow([b.code, b.name, *(self.answers[b.code][c] for c in self.codebook.columns)])
        return "\ufeff" + out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", required=True)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: data/<year>/responses.csv)")
    args = parser.parse_args(argv)
    year = open_year(find_root(args.root), args.year)
    codebook = load_codebook(year.codebook, KINDS)
    master = load_master(year.master)
    targets = yaml.safe_load((year.data_dir / "sample-targets.yaml").read_text(encoding="utf-8"))
    published = yaml.safe_load(year.published.read_text(encoding="utf-8"))
    generator = Generator(codebook, master, targets, published)
    text = generator.run()

    # Check the result through the same code path a build uses before writing anything.
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    raw = RawTable(Path("<generated>"), tuple(rows[0]), tuple((i, tuple(r)) for i, r in enumerate(rows[1:], start=2)), "utf-8-sig")
    tables = aggregate(codebook, check_responses(raw, codebook, master), master)
    for fig in generator.published.values():
        for label, value in (fig.get("values") or {}).items():
            got = tables.figure(fig["fig"]).series[0].row(label).value
            if got != value:
                print(f"note: figure {fig['fig']} {label}: {got} (published {value})", file=sys.stderr)

    out = args.out or year.responses
    out.write_bytes(text.encode("utf-8"))
    for note in generator.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"wrote {out}: {len(rows) - 1} bodies, {len(rows[0])} columns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
