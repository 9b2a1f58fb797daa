"""Importers: foreign material (pointwise articles, Word files, Markdown) → notes YAML for a person to
review. They never feed the renderers directly; what they write must pass ``check``."""
