"""Geofences (DESIGN §6): warehouse polygons in lon/lat and the decisions made against them."""
