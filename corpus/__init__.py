"""The corpus runner: public OpenAPI documents through every stage of the pipeline (``make corpus``).

- ``run``: the runner (``make corpus``): which specs, each checked in a child process, the counts.
- ``check``: one spec through every stage, validate to requests (:func:`check.check_spec`).
- ``probes``: the requests sent to each operation and the statuses each may answer.
- ``samples``: example values for a schema, to fill those requests.
- ``paths``: the path a request for a path key carries (shared by ``check`` and ``probes``).
- ``rivals``: the other spec-first tools on the same sample (``make corpus-rivals``).
- ``diff_pairs``: ``specfirst diff`` on consecutive GHES releases (``make diff-corpus``).
"""
