"""Sổ tay nghiệp vụ số: YAML procedures → validated model → Jinja → MkDocs Material site."""

__version__ = "0.1.0"
