"""Domain logic, one module per resource.

Each service is constructed per unit of work with an `AsyncSession` (plus whatever
collaborators it needs) and exposes methods taking plain typed arguments and returning ORM
objects or small views. The HTTP adapters stay thin: open a transaction, call one method, map
the result to the generated response type. Errors are `impl.errors.DomainError`s.
"""
