"""`python -m studynotes` is the same as `make_notes.py` and `make-notes`."""

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still loading the program: quiet, as a shell expects
    raise SystemExit(130) from None

main()
