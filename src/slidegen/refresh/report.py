"""What an update did, and what it left for people to look at: the report's sections."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    """What a refresh did and what it left for a person, in the words the report prints."""

    charts: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: the figures whose alt text was gone (a LibreOffice re-save drops every one) and is put back
    alt_texts: list[str] = field(default_factory=list)

    def lines(self, claims: tuple[str, ...] = ()) -> list[str]:
        out: list[str] = []
        for title, items in (
            ("グラフ・図を更新", self.charts),
            ("文を更新（手を加えられていない文）", self.texts),
            ("手を加えられた文の語句を置換", self.phrases),
            ("要確認：手を加えられた文は変更せず", self.conflicts),
            ("ノートを更新", self.notes),
            ("代替テキストを戻した（なくなっていた：LibreOfficeで保存すると消える）", self.alt_texts),
            ("デッキにない要素（再追加せず）", self.missing),
            ("要確認：データが支えなくなった記述", list(claims)),
        ):
            out.append(f"■ {title}：{len(items)}件")
            out += [f"  {line}" for item in items for line in item.split("\n")]
        return out
