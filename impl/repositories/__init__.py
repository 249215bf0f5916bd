"""Data access, one module per aggregate. Functions take an `AsyncSession` and know nothing
of HTTP; services own transactions and rules."""
