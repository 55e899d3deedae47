"""workers layer (see DESIGN.md §2)."""
