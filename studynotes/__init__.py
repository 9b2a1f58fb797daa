"""studynotes: structured study notes (YAML) to printable PDFs."""

__version__ = "0.1.0"
