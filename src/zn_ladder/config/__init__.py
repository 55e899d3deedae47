"""config layer (see DESIGN.md §2)."""
