"""spot layer (see DESIGN.md §2)."""
