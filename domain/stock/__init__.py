"""Stock (DESIGN §6): balances per (SKU, lot, location), the append-only ledger, moves and transfers."""
