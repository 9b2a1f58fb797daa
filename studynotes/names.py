"""Names made from titles: ids, file names and tags share one rule, so a section's default id,
an output's file name and a tag's file-safe form never disagree."""

from __future__ import annotations

import re
import unicodedata


def slug(title: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens; '' when none."""
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
