"""Settings, paths and credentials (no Qt)."""
