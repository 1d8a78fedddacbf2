"""Models and business rules, one module per DESIGN area. Rules never import Flask's request."""
