"""Editors' tools: formatting, semantic diff, scaffolding, the JSON Schema, review and history."""
