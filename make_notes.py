#!/usr/bin/env python3
"""Build study-notes PDFs; see `python make_notes.py --help`."""

from studynotes.cli import main

if __name__ == "__main__":
    main()
