"""Training packs: sessions planned from the procedures' training content."""
