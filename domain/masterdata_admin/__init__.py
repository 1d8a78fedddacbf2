"""Administration of the simple master data (DESIGN §2), one mechanism for every entity.

How it fits together (read this before adding an entity):

- `schemas.py`: one marshmallow schema per entity (CustomerIn, ProductIn, ...). It is the single
  validation: the service loads every write through it, the API documents and parses request bodies
  with it, and the admin pages build their inputs from its fields and show its errors beside them.
  Field names equal model attribute names; `metadata["label"]` is the form label.
  Why marshmallow rather than WTForms for the pages: one set of rules and messages, no second copy
  to drift; CSRF on the pages is Flask-WTF's app-wide CSRFProtect (each form posts `csrf_token`).
- `fields.py`: the field types those schemas share (Code, Amount, Count, latitude/longitude,
  Reference = a foreign key the service checks against the database).
- `entities.py`: ENTITIES, kind → Entity(model, schema, labels, unique key, search columns, sorts,
  joins, a one-line title). `kind` is the URL segment under /admin/ and /api/v1/.
- `service.py`: get / page / create / update / set_active / pick_list. Each write is one transaction
  with an audit row (`<entity>_create|update|deactivate|reactivate`, changes = audit.diff). Refusals
  are DomainError: "validation_error" (422) or "duplicate" (409), `fields` naming the inputs.
- `rules.py`: what a reference may point at (exists, active, holds the role), as a plain function.

Adding an entity: write its schema, add an Entity to ENTITIES, add a three-line API module
(see blueprints/api/customers.py); the admin pages pick it up from ENTITIES.
"""
