# The reference specs and expected trees are data, not tests: never collect them.
collect_ignore_glob = ["*/spec/*", "*/expected/*"]
