"""The orders area (DESIGN §3): the order master, its service functions, listing and search, history,
changes, compliance checks, stops and rush requests."""
