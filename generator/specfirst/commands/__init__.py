"""Subcommands of ``specfirst``: one module each, with ``register(subparsers)``.

Add a command by writing ``commands/<name>.py`` and listing it in ``MODULES``.
"""

MODULES = (
    "specfirst.commands.validate",
    "specfirst.commands.generate",
    "specfirst.commands.init",
    "specfirst.commands.scaffold",
    "specfirst.commands.diff",
    "specfirst.commands.lint",
    "specfirst.commands.check",
    "specfirst.commands.docs",
    "specfirst.commands.contract",
    "specfirst.commands.mock",
)
