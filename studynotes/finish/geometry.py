"""Where the pack's own furniture sits on every page: the footer strip the parts leave free, the
footer line and the student's stamp above it. Shared by the pack and the stamps."""

from __future__ import annotations

from ..style import MM

FOOT_MM = 10.0          # the pack's footer sits this far above the paper's edge (the margin minimum)
FOOT_STRIP_MM = 9.0     # extra bottom margin each part is rendered with: the footer, and above it
FOOT_PT = 7.5           # the size of the footer line
FOOT_BASELINE = FOOT_MM * MM + 1.5
STAMP_BASELINE = FOOT_BASELINE + FOOT_PT + 3.5  # the line a student's copy is stamped with
