"""Finishing with pypdf: class packs (pack), per-student stamping (stamp), imposition for
printing (impose), pictures of pages (pictures). They take rendered PDFs, never notes."""
