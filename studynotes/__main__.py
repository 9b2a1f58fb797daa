"""`python -m studynotes` is the same as `make_notes.py` and `make-notes`."""

from .cli import main

main()
