"""How two versions of an operation are compared: one check family per module.

- ``endpoints``: operations and paths removed or added, 501-only placeholders, deprecation.
- ``parameters``: parameters removed, renamed, moved, added, required; defaults; schemas.
- ``request_bodies``: a body added or made required, media types no longer accepted.
- ``responses``: statuses, media types and headers removed; each response's schemas.
- ``security``: authentication added, requirements dropped, scopes added.
- ``content``: the media types of a body or response, shared by the two above it.
"""
