"""export: see docs/design and the open issues; nothing here yet."""
