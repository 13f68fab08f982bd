"""Reading the content: YAML files → validated, typed model (with line:column for every error)."""
