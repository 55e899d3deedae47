"""The scenario ladder widget: model (cells from the domain ladder), painter, view, what-if list."""
