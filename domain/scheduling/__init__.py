"""Planning on the Gantt: move rules and rush insertion (DESIGN §4)."""
