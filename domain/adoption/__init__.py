"""Adoption (DESIGN §10): entry errors counted per user and the points two error-free weeks earn.

- `points.py`: the rule, on plain weekly tallies (no database).
- `entry_errors.py`: the tallies from what is recorded: refused submissions (OrderSubmission) and edits
  of an order after it was submitted (the audit log), in the plant's weeks.
"""
