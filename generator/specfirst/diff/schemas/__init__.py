"""How two versions of a schema are compared, and why a change to one breaks a client.

- ``compare``: ``SchemaComparer``, the memoised comparison of two schemas; it hands each pair
  to the families below.
- ``facets``: type, nullability, format, enum, bounds and pattern of one schema.
- ``properties``: properties (removed, added, became required or optional), items,
  additional properties.
- ``unions``: ``oneOf``/``anyOf`` alternatives, matched by ``$ref``, discriminator, title,
  then shape.
- ``change``: what a comparison yields (``Change``: rule id, message, pointers, field path)
  and what a family may call back (``Comparison``).
- ``views``: ``View``, a schema as a set of facets (``$ref`` resolved, ``allOf`` merged),
  and ``Views``, which builds them once per document.
- ``relations``: the type and format lattice (``integer`` ⊂ ``number``, ``int32`` ⊂
  ``int64``) and ``relation_of``: widened, narrowed or changed.
"""
