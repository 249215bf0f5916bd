"""Subcommands of ``specfirst``: one module each, with ``register(subparsers)``.

Add a command by writing ``commands/<name>.py`` and listing it in ``MODULES``.
"""

MODULES = (
    "generator.commands.validate",
    "generator.commands.generate",
    "generator.commands.diff",
)
