#!/usr/bin/env python3
"""Build study-notes PDFs; see `python make_notes.py --help`."""

try:
    from studynotes.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still loading the program: quiet, as a shell expects
    raise SystemExit(130) from None

if __name__ == "__main__":
    main()
