"""Subcommands of ``specfirst``: one module each, with ``register(subparsers)``.

Add a command by writing ``commands/<name>.py`` and listing it in ``MODULES``.
"""

MODULES = (
    "generator.commands.validate",
    "generator.commands.generate",
    "generator.commands.diff",
    "generator.commands.lint",
    "generator.commands.check",
    "generator.commands.docs",
    "generator.commands.contract",
    "generator.commands.mock",
)
