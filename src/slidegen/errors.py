"""The errors slidegen raises.

Every error a user can cause derives from :class:`SlidegenError`. The command line turns
one into a message and a non-zero exit in a single place (``slidegen.cli``); library callers
catch the class they care about.
"""

from __future__ import annotations

from dataclasses import dataclass


class SlidegenError(Exception):
    """Base class of every error slidegen reports to its user.

    ``str(error)`` is the complete message: what went wrong, where, and what to do;
    ``exit_code`` the command's exit status. An error raised in a worker process reaches the
    command by pickle: a class whose constructor takes more than the message says how it is made
    again (``__reduce__``).
    """

    exit_code = 1


#: exit status of an interrupted command (128 + the signal's number, as shells report it)
EXIT_INTERRUPTED = 130  # SIGINT, Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM
EXIT_BROKEN_PIPE = 141  # SIGPIPE: the reader of the output went away (as `| head` does)
#: exit status of a failure slidegen did not foresee (a bug): sysexits' EX_SOFTWARE
EXIT_INTERNAL = 70


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM): unwinds like Ctrl-C, so nothing is left half-written."""


class ProjectError(SlidegenError):
    """The project folder, a year's data folder or an output path is missing or unusable."""


class CodebookError(SlidegenError):
    """A codebook (``data/<year>/codebook.yaml``) is malformed or inconsistent."""


class MasterError(SlidegenError):
    """The municipality master list (``data/municipalities.csv``) is malformed."""


class TableFileError(SlidegenError):
    """A file that should hold a table cannot be read as one (empty, binary, ragged rows...)."""


@dataclass(frozen=True)
class Problem:
    """One mistake in a response table, located as precisely as the data allows.

    ``line`` is the 1-based line (CSV) or row (xlsx) in the file, header included;
    ``code`` is the 団体コード of that row when it has one.
    """

    file: str
    expected: str
    line: int | None = None
    code: str | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"row 団体コード {self.code} (line {self.line})" if self.code else f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        text = ": ".join([self.file, ", ".join(where)] if where else [self.file])
        if self.value is not None:
            text += f": value {self.value!r}"
        return f"{text}: {self.expected}"


class ResponseError(SlidegenError):
    """A response table breaks the codebook's rules; carries every :class:`Problem` found."""

    #: how many problems the message lists before summarising the rest
    SHOWN = 20

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = [f"  {p}" for p in self.problems[: self.SHOWN]]
        more = len(self.problems) - self.SHOWN
        if more > 0:
            shown.append(f"  ... and {more} more")
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        head = f"{count} {noun} in the response table; nothing was written:"
        super().__init__("\n".join([head, *shown]))

    def __reduce__(self) -> tuple[type[ResponseError], tuple[list[Problem]]]:
        return type(self), (self.problems,)


class FontError(SlidegenError):
    """No usable Japanese font, or text with a character the font cannot draw."""


class FigureError(SlidegenError):
    """A figure cannot be drawn: its content does not fit, or the font lacks a glyph."""


class SlideFitError(SlidegenError):
    """Text that cannot fit its box even at the smallest size allowed."""


class TemplateLayoutError(SlidegenError):
    """The template lacks a layout or placeholder the deck needs."""


class TemplateError(SlidegenError):
    """A sentence template that cannot be parsed or evaluated."""


class NotShown(TemplateError):
    """A template asked for what a segment's deck does not show: a figure with withheld options
    (its ranking, its shares, its bracket) or the response rate of a kind of body the segment
    has none of. The sentence falls back (:func:`slidegen.pipeline.segmenting.segment_deck`);
    ``reason`` says why, in Japanese, for the build's list of what fell back."""

    def __init__(self, message: str, reason: str = "この区分では団体が特定されないよう表示しない数値に基づく") -> None:
        super().__init__(message)
        self.reason = reason

    def __reduce__(self) -> tuple[type[NotShown], tuple[str, str]]:
        return type(self), (str(self), self.reason)


class VerifyError(SlidegenError):
    """The published values file is missing or malformed."""


class DiffError(SlidegenError):
    """Something to compare is missing or unreadable."""


class SegmentsError(SlidegenError):
    """data/segments.yaml (the axes a survey can be cut by) is missing or wrong."""


class EmptyBaseError(SlidegenError):
    """A figure's base holds no body: its n would be 0 and its percentages undefined."""


class DeckSpecError(SlidegenError):
    """A deck spec (``data/<year>/deck.yaml``) is malformed or names unknown figures."""


class UpdateError(SlidegenError):
    """A deck ``slidegen update`` cannot refresh: not made by slidegen, of another year, or an
    output it may not write."""


def os_refusal(e: OSError, where: object = None) -> str:
    """What the operating system refused, where (``where``, else the error's file), and what to do
    about it: a full or read-only disk, a missing permission, a file that vanished."""
    import errno

    where = str(where or "") or " → ".join(str(f) for f in (e.filename, e.filename2) if f)
    where = where or "a file slidegen was writing or reading"
    hint = {
        errno.ENOSPC: "the disk is full: free some space and run the command again",
        errno.EDQUOT: "the disk quota is used up: free some space and run the command again",
        errno.EROFS: "the disk is read-only: write to another folder (--out)",
        errno.EACCES: "no permission: check the folder's permissions, or write elsewhere (--out)",
        errno.EPERM: "not permitted: check the folder's permissions, or write elsewhere (--out)",
        errno.ENOENT: "the file or folder is not there (moved or deleted while slidegen ran?): run the command again",
    }.get(e.errno or 0, "run the command again once that is fixed")
    return f"{where}: {e.strerror or e} — {hint}"
