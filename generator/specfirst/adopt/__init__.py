"""Bringing a spec written elsewhere into a project (``specfirst init --spec``).

- ``files``: which files are written under ``specs/`` and what each holds: JSON converted
  to readable YAML beside where it was, ``$ref``s to renamed files rewritten
  (``--keep-format`` copies them as they are).
- ``yaml_text``: data as YAML a person reviews (block style, source key order, literal
  blocks for multi-line text, no aliases), loading back to the same data.
- ``operation_ids``: ``--add-operation-ids``: the names generated code derives for
  operations without an ``operationId``, written into the copied files, so that a later
  edit of a path renames nothing.
"""
