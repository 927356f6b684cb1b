"""slidegen: builds a survey result deck (PPTX and PDF) from a survey's response table.

The library is the product; the ``slidegen`` command is a thin layer over it. Start at
:mod:`slidegen.pipeline`.
"""

from .errors import SlidegenError

__all__ = ["SlidegenError"]
