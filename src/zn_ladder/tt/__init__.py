"""tt layer (see DESIGN.md §2)."""
