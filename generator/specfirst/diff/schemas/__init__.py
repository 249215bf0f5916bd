"""How two versions of a schema are compared.

- ``views``: ``View``, a schema as a set of facets (``$ref`` resolved, ``allOf`` merged),
  and ``Views``, which builds them once per document.
- ``relations``: the type and format lattice (``integer`` ⊂ ``number``, ``int32`` ⊂
  ``int64``) and ``relation_of``: widened, narrowed or changed.
"""
