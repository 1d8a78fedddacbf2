"""Labels seen from the plant's data: what a scanned label names, and the sheets to print. The
label formats themselves (reading, signing, drawing codes) are the pure scanning/ package."""
