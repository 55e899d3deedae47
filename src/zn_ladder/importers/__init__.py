"""importers layer (see DESIGN.md §2)."""
