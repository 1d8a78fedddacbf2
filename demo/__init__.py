"""The demo plant: an injection-moulding factory of the Pearl River Delta, its master data, a year of
orders, production, quality and service history (`flask seed-demo`). The app's rules never import it."""
