"""The house style of every figure: font, palette, sizes and number formats.

Sizes are in points and inches *as placed on the slide*: figures are drawn at the size of the
slide area they fill, so 10 pt here is 10 pt on the slide. Change the look of all figures here.
"""

from __future__ import annotations

#: the one configured Japanese font (the SLIDEGEN_FONT environment variable overrides it)
FONT_NAME = "BIZ UDPゴシック"

# ---- sizes -------------------------------------------------------------------------------
#: figure areas on a 16:9 slide (13.333 × 7.5 in), in inches: one figure, or one of two side by side
SLOTS = {"full": (12.0, 4.0), "half": (5.9, 4.0)}
DPI = 200  # PNG resolution: sharp on a projector and when pasted into documents

LINE = 1.22  # line height of a figure's text, as a multiple of its size
LABEL_PT = 11  # option labels
VALUE_PT = 10.5  # the value on each bar or slice
HEADER_PT = 11  # series headers of paired figures
CENTER_PT = 15  # the figure in a doughnut's hole
MIN_PT = 10

BAR_HEIGHT = 0.62  # share of a row a bar fills
BAR_MAX_PT = 18  # no thicker than this, however few the rows
LABEL_SHARE = {"full": 0.34, "half": 0.52}  # share of the width given to option labels

# ---- colours -----------------------------------------------------------------------------
# A colour is a slot of the template's theme (accent1 … accent6, tx1 for text), a slot darkened to
# a share of its luminance (``accent6:75``: Office's 「黒+基本色 25%」, lumMod), or a fixed #RRGGBB
# (the neutral greys): a template with other theme colours recolours every figure, in the PPTX's
# native charts (which name the slot) and in the PNG, SVG and PDF (drawn as it resolves).
INK = "tx1"  # text
MUTED = "#7F7F7F"  # その他, 無回答 and leader lines
PRIMARY = "accent1"  # the main series
SECONDARY = "accent3"  # the first of a pair (実績)
ACCENT = "accent6"  # gains and annotations: their lines
#: their text: the accent a quarter darker, at 4.5:1 or more on white as small text needs (WCAG
#: AA) — accent6 itself, #C55A11, is 4.3:1
ACCENT_TEXT = "accent6:75"
BAND = ["accent1", "accent2", "accent3", "accent4", "accent5", "#C9C9C9"]  # shares, in option order
#: a band with a bracket: the answers it sums (favourable) in the main hues, darkest first; the
#: others in a contrasting hue, the milder first — never so pale that a part vanishes on a projector
BAND_FAVOURABLE = ["accent1", "accent2", "accent3", "#5B9BD5"]
BAND_UNFAVOURABLE = ["accent5", "accent6", "#843C0C", "#F8CBAD"]
#: a part of a band narrower than this (points) gets an outline, so it stays visible
THIN_PART_PT = 4.0
LEADER_PT = 1.0  # leaders from a band's parts to their labels
NO_ANSWER = "#D9D9D9"
#: a doughnut: its first share in the main colour, the others in greys that repeat
DOUGHNUT = ["accent1"] + ["#BFBFBF", "#D9D9D9", "#EDEDED"] * 3
BAND_HEIGHT_PT = 34  # the height of a 100 % band
