"""Quality and traceability (DESIGN §7): inspections, lots and their genealogy, shipments, trace."""
