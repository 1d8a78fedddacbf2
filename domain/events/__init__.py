"""Domain events (DESIGN §3.0): `record()` an event in a use case's unit of work; the reactions in
`reactions.py` change the areas that depend on it in the same transaction, and notifiers tell people
after the commit. See bus.py."""

from domain.events.bus import Delivery, add_channel, describe, notifies_on, reacts_to, record

__all__ = ["Delivery", "add_channel", "describe", "notifies_on", "reacts_to", "record"]
