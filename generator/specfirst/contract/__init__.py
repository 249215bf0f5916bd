"""Contract testing: property-test a running service (or an ASGI app) against its spec.

The spec is the contract. :func:`run_contract` loads the *source* document (multi-file
``$ref`` included), drives schemathesis' engine through every phase (``examples``,
``coverage``, ``fuzzing`` and ``stateful`` through the spec's OpenAPI links) with every check
on, and returns a :class:`ContractResult`: one :class:`ContractFailure` per distinct
(operation, check, problem), each with a ``curl`` command that reproduces it, and the coverage
of every operation's declared statuses. Runs are deterministic by default (a fixed seed and a
bounded number of examples per operation).

What lives where, from what a project imports to what only a run needs:

* :mod:`~specfirst.contract.hooks`: the hook API a project's ``tests/contract.py`` imports
  (:class:`AuthContext`, :class:`SeedData`, :func:`bearer`, :func:`api_key`,
  :func:`password_token`, :func:`dev_credentials`, the hook types, :class:`ContractError`), and how a hook is found
  (:func:`load_object`), called and checked.
* :mod:`~specfirst.contract.settings`: ``[tool.specfirst.contract]`` of ``pyproject.toml``:
  which statuses pass the status checks (:class:`ExpectedStatuses`) and which operations a
  coverage gate exempts, read and turned into schemathesis' configuration.
* :mod:`~specfirst.contract.runner`: :class:`ContractOptions` and :func:`run_contract`: the
  schemathesis configuration of a run, the hooks called, the steps in order.
* :mod:`~specfirst.contract.document`: the document schemathesis gets, read as the generated
  app reads it (ignored ``Accept``/``Content-Type``/``Authorization`` header parameters left
  out, a schema with ``properties`` and no ``type`` an object).
* :mod:`~specfirst.contract.target`: how a run reaches the service: an ASGI app in-process
  (:func:`like_a_server`), or a live server it waits for.
* :mod:`~specfirst.contract.credentials`: the run's credentials given to schemathesis per
  scheme, masked in reproductions, and the probe that sends requests again without them.
* :mod:`~specfirst.contract.engine`: schemathesis' engine run over the loaded schema, its
  events read into a :class:`ContractResult` (failures, errors, statuses, warnings).
* :mod:`~specfirst.contract.excuses`: the one table of the check failures that are the spec's
  own doing (or the test's), each rule with its checks, its reason and the lint rule that
  names the fault: noted, not counted.
* :mod:`~specfirst.contract.plain`: a schema in plain form (local references inlined,
  annotations dropped), for the document's and the excuses' comparisons of what schemas admit.
* :mod:`~specfirst.contract.paths`: path keys as the app serves them (equivalent ones, a query
  string or a fragment in one), which operation answers at a URL.
* :mod:`~specfirst.contract.idempotency`: a failing ``ensure_resource_availability`` whose
  creating request replayed an earlier ``Idempotency-Key`` (noted, not counted).
* :mod:`~specfirst.contract.results`: what a run found (:class:`ContractResult`, one
  :class:`ContractFailure` per distinct problem, :class:`ContractProblem` for errors,
  :class:`ContractWarning` for schemathesis' warnings, :class:`SpecGap` for spec gaps).
* :mod:`~specfirst.contract.coverage`: which declared statuses each operation reached, and the
  gates that fail a run for an operation it never got into. It knows nothing of schemathesis.
* :mod:`~specfirst.contract.stubs`: unimplemented operations (a stub's marked 501): reported,
  their success checks not counted unless ``--require-implemented``.
* :mod:`~specfirst.contract.gaps`: spec gaps, the statuses the runtime sends that the spec
  does not declare (derived by :mod:`specfirst.spec_gaps`, shared with lint): listed, their
  status checks not counted unless ``--strict``.
* :mod:`~specfirst.contract.reports`: the terminal summary (:func:`format_summary`), the JUnit
  XML (:func:`write_junit`) and the coverage reports in Markdown and JSON
  (:func:`write_reports`).

Code outside the package imports from ``specfirst.contract`` itself: it re-exports, in
``__all__``, every public name of the modules above that was public when they were one module.
``import specfirst.contract`` does not import schemathesis: the modules that use it import it
when a run starts, so a project's ``tests/contract.py`` (its hooks) stays cheap to import.
"""

from specfirst.contract.coverage import GATES, Coverage, Exemption, GateFailure
from specfirst.contract.hooks import (
    AuthContext,
    AuthHook,
    ContractError,
    Headers,
    SeedData,
    SetupHook,
    Value,
    api_key,
    bearer,
    call_auth_hook,
    call_setup_hook,
    dev_credentials,
    dev_operation_credentials,
    load_object,
    password_token,
)
from specfirst.contract.idempotency import IDEMPOTENCY_KEY
from specfirst.contract.reports import format_summary, write_junit, write_reports
from specfirst.contract.results import (
    ContractFailure,
    ContractProblem,
    ContractResult,
    ContractWarning,
    SpecGap,
    failures_named,
)
from specfirst.contract.runner import (
    CHECKS,
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
    PHASES,
    ContractOptions,
    run_contract,
)
from specfirst.contract.settings import (
    STATUS_CHECKS,
    ExpectedStatuses,
    load_exemptions,
    load_project_settings,
    load_run_flags,
)
from specfirst.contract.target import like_a_server

__all__ = [
    "CHECKS",
    "DEFAULT_MAX_EXAMPLES",
    "DEFAULT_SEED",
    "GATES",
    "IDEMPOTENCY_KEY",
    "PHASES",
    "STATUS_CHECKS",
    "AuthContext",
    "AuthHook",
    "ContractError",
    "ContractFailure",
    "ContractOptions",
    "ContractProblem",
    "ContractResult",
    "ContractWarning",
    "Coverage",
    "Exemption",
    "ExpectedStatuses",
    "GateFailure",
    "Headers",
    "SeedData",
    "SetupHook",
    "SpecGap",
    "Value",
    "api_key",
    "bearer",
    "call_auth_hook",
    "call_setup_hook",
    "dev_credentials",
    "dev_operation_credentials",
    "failures_named",
    "format_summary",
    "like_a_server",
    "load_exemptions",
    "load_object",
    "load_project_settings",
    "load_run_flags",
    "password_token",
    "run_contract",
    "write_junit",
    "write_reports",
]
