"""Units and colours every engine and finisher shares, so the house look is defined once."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors

MM = 72 / 25.4          # points per millimetre
MIN_BODY_PT = 7.0       # no body text below this, on any page of any kind


def colour(hex_: str, grayscale: bool) -> colors.Color:
    """A preset colour; in grayscale its luminance, so light stays light and dark stays dark."""
    c = colors.HexColor(hex_)
    if grayscale:
        y = 0.299 * c.red + 0.587 * c.green + 0.114 * c.blue
        return colors.Color(y, y, y)
    return c


@dataclass(frozen=True)
class House:
    """The colours of what the program draws around the notes: covers, contents, footers, stamps."""

    accent: str = "#1F4E79"
    muted: str = "#5A6470"
    text: str = "#1B1B1B"
    rule: str = "#A9BCD0"
    watermark: str = "#7F8C99"


HOUSE = House()
