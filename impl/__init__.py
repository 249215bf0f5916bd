"""The reference service: a team task tracker implementing the contract in `specs/`."""
