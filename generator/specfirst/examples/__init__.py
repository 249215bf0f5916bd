"""Example stubs and the mock: an implementation that answers from the spec's examples.

* :mod:`~specfirst.examples.synthesize`: a plausible value for a schema (its examples first),
  and :class:`~specfirst.examples.synthesize.Schemas`, which resolves and validates.
* :mod:`~specfirst.examples.table`: per operation, example data for every declared response
  (``examples.json``, what ``specfirst scaffold --stubs examples`` stubs answer), and which
  operations answer synthesized data.
* :mod:`~specfirst.examples.mock`: ``specfirst mock``: the generated app with example stubs.
"""
