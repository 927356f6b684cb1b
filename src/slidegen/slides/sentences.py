"""Sentence templates: the deck's wording, evaluated on the data, safely.

A template is text with expressions in braces: ``約7割`` is written
``{wari(value(1, 1))}`` and follows the data after a correction. A sentence that names items
literally (the published words) states the claim behind them in ``claims``: expressions that
must be true on the data; a broken claim is reported at build time, never printed silently.

Expressions are parsed with :mod:`ast` and evaluated by walking a whitelist of node kinds
(constants, names, lists, comparisons, boolean operators, and calls of the functions listed in
:class:`Context`); anything else — attributes, subscripts, lambdas, imports — is an error.
A spec file cannot run code.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from typing import Any

from ..aggregate import FigureTable, Row, Tables, point_gains, ranked, share, shown_label, substantive
from ..errors import NotShown, TemplateError
from ..figures.jptext import full_width_digits
from ..inputs.codebook import Codebook

_FIELD = re.compile(r"\{([^{}]+)\}")


def zen(n: int | str) -> str:
    """Full-width digits: 5 → ５."""
    return full_width_digits(str(n))


def _half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def wari(v: float) -> str:
    """A share in tenths, rounded: 69.5 → 約7割."""
    return f"約{_half_up(v / 10)}割"


def ijo(v: float) -> str:
    """A share's whole tenths: 91.3 → 9割以上, 86.1 → 8割以上."""
    return f"{int(v // 10)}割以上"


def about_pct(v: float) -> str:
    """A share to the nearest ten percent: 70.3 → 約70％."""
    return f"約{_half_up(v / 10) * 10}％"


def rate(v: float) -> str:
    """A response rate as the cover prints it: 78.5, and 100 for 100.0."""
    return f"{v:.0f}" if v == int(v) else f"{v:.1f}"


def list_ja(items: list[str], first: str = "や", rest: str = "、", elide: bool = False) -> str:
    """Items in a Japanese list: 「AやB、C」. ``elide`` drops from the later items the leading words
    they share with the first up to の (自治体の人員確保、予算確保、企画力)."""
    items = list(items)
    if elide and len(items) > 1:
        prefix = items[0][: items[0].find("の") + 1] if "の" in items[0] else ""
        if prefix and all(i.startswith(prefix) for i in items):
            items = [items[0]] + [i[len(prefix) :] for i in items[1:]]
    if not items:
        return ""
    out = items[0]
    for k, item in enumerate(items[1:]):
        out += (first if k == 0 else rest) + item
    return out


class Context:
    """The functions a template may call, bound to one year's tables and codebook."""

    def __init__(self, tables: Tables, codebook: Codebook, provenance: dict[str, object] | None = None):
        self.tables = tables
        self.codebook = codebook
        self.provenance = provenance or {}
        self._marks = False

    def marking(self) -> Context:
        """This context as a sentence prints its labels: an option a sample deck invented with its
        † (:func:`~slidegen.aggregate.shown_label`), as the figure beside the sentence labels it, so
        no sentence rests on an invented option unmarked. Claims compare the plain labels."""
        marked = Context(self.tables, self.codebook, self.provenance)
        marked._marks = True
        return marked

    def _said(self, row: Row) -> str:
        """An option's label as this context prints it (:meth:`marking`)."""
        return shown_label(row, self.codebook.survey.sample_data) if self._marks else row.label

    def _figure(self, n: int) -> FigureTable:
        try:
            table = self.tables.figure(n)
        except KeyError:
            raise TemplateError(f"there is no figure {n}") from None
        return table

    def _whole(self, n: int) -> FigureTable:
        """Figure ``n``, for what needs every one of its options (a bracket, gains, a gap's rows)."""
        table = self._figure(n)
        if table.withheld:
            raise NotShown(f"figure {n} withholds {len(table.withheld)} option(s) in this segment")
        return table

    def _series(self, n: int, series: int) -> tuple[FigureTable, tuple[Row, ...]]:
        table = self._figure(n)
        if not 1 <= series <= len(table.series):
            raise TemplateError(f"figure {n} has no series {series}")
        return table, table.series[series - 1].rows

    def value(self, n: int, code: int, series: int = 1) -> float:
        """The value of option ``code`` in figure ``n``."""
        table, rows = self._series(n, series)
        for r in rows:
            if r.code == code:
                return r.value
        if table.withheld:
            raise NotShown(f"figure {n} withholds option {code} in this segment, or has none")
        raise TemplateError(f"figure {n} has no option {code}")

    def ranked(self, n: int, series: int = 1, k: int | None = None) -> list[Row]:
        """The options of figure ``n`` that rank, in ranking order (:func:`slidegen.aggregate.ranked`).
        Where a segment withholds options, the first ``k`` (all, where None) only if each was chosen
        by more bodies than a withheld one may have been."""
        table, rows = self._series(n, series)
        order = substantive(ranked(rows))
        if table.withheld:
            upto = order if k is None else order[:k]
            if any(r.count is None or r.count <= table.withheld_most for r in upto) or len(upto) < (k or 0):
                raise NotShown(f"figure {n}: its ranking reaches the options this segment withholds")
        return order

    def top(self, n: int, k: int, series: int = 1) -> list[str]:
        """Labels of the ``k`` most chosen options (a gap figure: its first ``k`` rows)."""
        return [self._said(r) for r in self.ranked(n, series, k)[:k]]

    def label(self, n: int, rank: int = 1, series: int = 1) -> str:
        """The label of the option ranked ``rank`` (1: the most chosen)."""
        ranked = self.ranked(n, series, rank)
        if not 1 <= rank <= len(ranked):
            raise TemplateError(f"figure {n} has no rank {rank}")
        return self._said(ranked[rank - 1])

    def codes(self, n: int, k: int, series: int = 1) -> list[int]:
        """Codes of the ``k`` most chosen options, for claims."""
        return [r.code for r in self.ranked(n, series, k)[:k] if r.code is not None]

    def topvalue(self, n: int, rank: int = 1, series: int = 1) -> float:
        """The value of the option ranked ``rank``."""
        ranked = self.ranked(n, series, rank)
        if not 1 <= rank <= len(ranked):
            raise TemplateError(f"figure {n} has no rank {rank}")
        return ranked[rank - 1].value

    def bracket(self, n: int) -> float:
        """The share a figure's bracket sums (its codebook bracket options)."""
        table = self._figure(n)
        spec = self.codebook.figure(n)
        if table.withheld and (spec.bracket is None or not table.shows(spec.bracket.codes)):
            raise NotShown(f"figure {n} withholds an option of its bracket in this segment")
        if spec.bracket is None:
            raise TemplateError(f"figure {n} has no bracket")
        return share(table, spec.bracket.codes)

    def gain_top(self, n: int) -> str:
        """The option whose second series most exceeds its first (in points)."""
        table = self._whole(n)
        if len(table.series) != 2:
            raise TemplateError(f"figure {n} is not a paired figure: it has no gains")
        gains = point_gains(table)
        if not gains:
            raise TemplateError(f"figure {n} has no option to compare")
        return self._said(max(enumerate(gains), key=lambda item: (item[1][1], -item[0]))[1][0])

    def gain(self, n: int, rank: int = 1) -> float:
        """The ``rank``-th largest gain of a paired figure, second series − first, in points."""
        table = self._whole(n)
        gains = sorted((g for _, g in point_gains(table)), reverse=True) if len(table.series) == 2 else []
        if not 1 <= rank <= len(gains):
            raise TemplateError(f"figure {n} has no gain ranked {rank}")
        return gains[rank - 1]

    def gap_top(self, n: int) -> int:
        """How many options a gap figure shows (in a segment's deck: those it shows)."""
        return len(self._figure(n).series[0].rows)

    def survey(self, key: str) -> Any:
        o = self.tables.survey
        values = {"target": o.target, "responses": o.responses, "response_rate": o.response_rate}
        values.update({f"rate_{k}": v for k, v in o.response_rate_by_kind.items()})
        if key not in values:
            raise TemplateError(f"survey has no {key!r}; use one of {', '.join(values)}")
        if key.startswith("rate_") and not o.target_by_kind.get(key[5:]):
            raise NotShown(f"survey({key!r}): this segment has no {key[5:]}", f"この区分には{key[5:]}がない")
        return values[key]

    def segment(self, key: str) -> str:
        """Which segment a segment's deck shows (build --by): its ``axis`` (団体区分) or ``value`` (町)."""
        if self.tables.segment is None:
            raise TemplateError(f"segment({key!r}): only a segment's deck has a segment (its cover's segment_overview)")
        if key not in ("axis", "value"):
            raise TemplateError(f"segment has no {key!r}; use axis or value")
        return self.tables.segment[0 if key == "axis" else 1]

    def meta(self, key: str) -> str:
        """The codebook's survey metadata: title, fiscal_year, author, published, period."""
        survey = self.codebook.survey
        if key not in ("title", "fiscal_year", "author", "published", "period", "target"):
            raise TemplateError(f"meta has no {key!r}")
        return getattr(survey, key)

    def data(self, key: str) -> object:
        """What the deck's source line says of the data: ``file`` (the response table's name),
        ``sha256`` (its hash), ``digest`` (the hash's first 16 hex digits), ``corrections`` (how
        many corrections were applied). Known only to a build."""
        if key not in self.provenance:
            known = ", ".join(self.provenance) or "nothing outside a build"
            raise TemplateError(f"data has no {key!r}; it knows {known}")
        return self.provenance[key]

    def same(self, a: list, b: list) -> bool:
        """The same items, in any order."""
        return sorted(a) == sorted(b)

    def within(self, items: list, allowed: list) -> bool:
        """Every one of ``items`` is among ``allowed`` (the top items all belong to a named group)."""
        return set(items) <= set(allowed)

    def functions(self) -> dict[str, Callable]:
        return {
            "value": self.value,
            "top": self.top,
            "codes": self.codes,
            "topvalue": self.topvalue,
            "bracket": self.bracket,
            "gain_top": self.gain_top,
            "gap_top": self.gap_top,
            "survey": self.survey,
            "meta": self.meta,
            "segment": self.segment,
            "data": self.data,
            "same": self.same,
            "within": self.within,
            "gain": self.gain,
            "label": self.label,
            "endswith": lambda s, suffix: str(s).endswith(suffix),
            "wari": wari,
            "ijo": ijo,
            "about_pct": about_pct,
            "rate": rate,
            "list_ja": list_ja,
            "zen": zen,
            "min": min,
            "max": max,
            "len": len,
        }


_COMPARE = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


#: the bounds an expression of deck.yaml is held to before it is evaluated: its length in
#: characters, how deep its parts nest, and how large a number it may write
MAX_LENGTH, MAX_DEPTH, MAX_NUMBER = 2000, 30, 1e9


def _bounded(expression: str) -> ast.Expression:
    """``expression`` parsed, within :data:`MAX_LENGTH`, :data:`MAX_DEPTH` and :data:`MAX_NUMBER`."""
    if len(expression) > MAX_LENGTH:
        raise TemplateError(
            f"{expression[:60]!r}…: the expression is {len(expression):,} characters long; "
            f"an expression may be at most {MAX_LENGTH:,}"
        )
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as e:
        raise TemplateError(f"cannot read {expression!r}: {e.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise TemplateError(f"cannot read {expression[:60]!r}…: it nests too deeply") from None

    def depth(node: ast.AST, level: int) -> None:
        if level > MAX_DEPTH:
            raise TemplateError(f"{expression[:60]!r}: its parts nest more than {MAX_DEPTH} deep")
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            if not abs(node.value) <= MAX_NUMBER:  # (not ≤: nan and inf too)
                raise TemplateError(
                    f"{expression!r}: the number {node.value!r} is out of range (at most {MAX_NUMBER:g})"
                )
        for child in ast.iter_child_nodes(node):
            depth(child, level + 1)

    depth(tree, 0)
    return tree


def evaluate(expression: str, context: Context) -> Any:
    """Evaluate one expression of a template or claim, allowing only whitelisted forms. Whatever
    goes wrong — a form not allowed, a function given what it cannot take, a number out of range,
    a list compared with a number — is a :class:`TemplateError` saying what, never a crash."""
    tree = _bounded(expression)
    functions = context.functions()
    try:
        return _evaluate(tree, expression, functions)
    except TemplateError:
        raise
    except RecursionError:
        raise TemplateError(f"{expression[:60]!r}: its parts nest too deeply") from None
    except Exception as e:  # the expression is data: whatever it makes the evaluator do is the user's to fix
        raise TemplateError(f"{expression!r} cannot be evaluated: {_said(e)}") from None


def _said(e: Exception) -> str:
    """What went wrong evaluating an expression, in the user's terms."""
    if isinstance(e, OverflowError):
        return "a number grew too large"
    if isinstance(e, ZeroDivisionError):
        return "a division by zero"
    if isinstance(e, ValueError) and "empty" in str(e):
        return "min() or max() of nothing"
    if isinstance(e, TypeError):
        return f"two things of different kinds were combined ({e})"
    return f"{type(e).__name__}: {e}"


def _evaluate(tree: ast.Expression, expression: str, functions: dict[str, Callable[..., Any]]) -> Any:

    def walk(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return [walk(e) for e in node.elts]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            v = walk(node.operand)
            return (not v) if isinstance(node.op, ast.Not) else -v
        if isinstance(node, ast.BoolOp):
            values = [walk(v) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = walk(node.left)
            for op, right_node in zip(node.ops, node.comparators):
                right = walk(right_node)
                if type(op) not in _COMPARE or not _COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions:
            args = [walk(a) for a in node.args]
            kwargs = {k.arg: walk(k.value) for k in node.keywords if k.arg}
            if len(kwargs) != len(node.keywords):
                raise TemplateError(f"{expression!r}: ** arguments are not allowed")
            try:
                return functions[node.func.id](*args, **kwargs)
            except TypeError as e:  # the wrong number or kind of arguments
                raise TemplateError(f"{expression!r}: {e}") from None
        what = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else type(node).__name__
        raise TemplateError(
            f"{expression!r}: {what} is not allowed here; use the functions {', '.join(sorted(functions))}"
        )

    return walk(tree)


def render(template: str, context: Context) -> str:
    """The template with each ``{expression}`` replaced by its value."""
    return render_parts(template, context)[0]


def render_parts(template: str, context: Context) -> tuple[str, tuple[str, ...]]:
    """The rendered template and the phrases computed in it, in order (「約7割」, an item's label):
    what the data put into the sentence, which ``slidegen update`` may replace in an edited one."""
    phrases: list[str] = []
    marking = context.marking()

    def field(match: re.Match) -> str:
        value = evaluate(match.group(1), marking)
        phrase = list_ja(value, "、") if isinstance(value, list) else str(value)
        phrases.append(phrase)
        return phrase

    return _FIELD.sub(field, template), tuple(phrases)


_SAYS = {
    ast.Eq: "が{b}であること",
    ast.NotEq: "が{b}でないこと",
    ast.Lt: "が{b}未満であること",
    ast.LtE: "が{b}以下であること",
    ast.Gt: "が{b}を上回ること",
    ast.GtE: "が{b}以上であること",
    ast.In: "が{b}のうちにあること",
    ast.NotIn: "が{b}のうちにないこと",
}


_MIRROR: dict[type, type] = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Eq: ast.Eq}


def explain(claim: str, context: Context) -> str:
    """A claim in the words an official reads, with what the data gives now: ``codes(7, 1, 2) ==
    [1]`` → 「図7（期待）の上位1項目（データでは「地域課題に関する情報提供」）が「各種会議等への参加」
    であること」. A list of option codes beside a figure's ranking is named by those options' labels."""
    tree = ast.parse(claim.strip(), mode="eval").body

    def figure_of(node: ast.AST) -> tuple[int, int] | None:
        """The figure and series a ``codes(…)`` call ranks, for naming the codes beside it."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "codes":
            args = [evaluate(ast.unparse(a), context) for a in node.args]
            return int(args[0]), int(args[2]) if len(args) > 2 else 1
        return None

    def series_name(n: int, s: int) -> str:
        table = context.tables.figure(n)
        return f"（{table.series[s - 1].name}）" if len(table.series) > 1 else ""

    def labels(n: int, s: int, codes: list[int]) -> str:
        rows = {r.code: r.label for r in context.tables.figure(n).series[s - 1].rows}
        return "・".join(f"「{rows.get(c, c)}」" for c in codes)

    def say(node: ast.AST, beside: tuple[int, int] | None = None) -> str:
        if isinstance(node, (ast.List, ast.Tuple)) and beside is not None:
            return labels(*beside, [evaluate(ast.unparse(e), context) for e in node.elts])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name, args = node.func.id, [evaluate(ast.unparse(a), context) for a in node.args]
            now = evaluate(ast.unparse(node), context)
            if name == "codes":
                n, k, s = args[0], args[1], args[2] if len(args) > 2 else 1
                return f"図{n}{series_name(n, s)}の上位{k}項目（データでは{labels(n, s, now)}）"
            if name == "value":
                n, code, s = args[0], args[1], args[2] if len(args) > 2 else 1
                return f"図{n}{series_name(n, s)}の{labels(n, s, [code])}の割合（データでは{now:.1f}％）"
            if name == "bracket":
                return (
                    f"図{args[0]}の「{context.codebook.figure(args[0]).bracket.label}」の合計（データでは{now:.1f}％）"  # type: ignore[union-attr]
                )
            if name == "gain":
                return f"図{args[0]}の増加幅の{args[1] if len(args) > 1 else 1}位（データでは{now:.1f}ポイント）"
            if name == "topvalue":
                return f"図{args[0]}の{args[1] if len(args) > 1 else 1}位の割合（データでは{now:.1f}％）"
            if name in ("min", "max"):
                parts = "、".join(say(a) for a in node.args)
                return f"{parts}の{'最小' if name == 'min' else '最大'}"
            if name == "same":
                a, b = node.args
                side = figure_of(a) or figure_of(b)
                return f"{say(a, side)}が{say(b, side)}と同じ顔ぶれであること"
            if name == "within":
                a, b = node.args
                side = figure_of(a) or figure_of(b)
                return f"{say(a, side)}がすべて{say(b, side)}のうちにあること"
            return f"{name}（データでは{now}）"
        if isinstance(node, ast.Compare):
            said: list[str] = []
            left = node.left
            for op, right in zip(node.ops, node.comparators):
                a, b, how = left, right, op
                if isinstance(a, ast.Constant) and type(how) in _MIRROR:  # 45 <= x: x が45以上
                    a, b, how = b, a, _MIRROR[type(how)]()
                side = figure_of(a) or figure_of(b)
                said.append(say(a, side) + _SAYS[type(how)].format(b=say(b, side)))
                left = right
            return "、かつ".join(said)
        if isinstance(node, ast.BoolOp):
            return ("、かつ" if isinstance(node.op, ast.And) else "、または").join(say(v) for v in node.values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return f"「{say(node.operand)}」ではないこと"
        return ast.unparse(node)

    try:
        return say(tree)
    except (TemplateError, TypeError, ValueError, KeyError, IndexError, AttributeError):
        return claim  # a claim that cannot be put in words is shown as written
