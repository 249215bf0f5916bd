"""A warm generator: one-shot ``specfirst generate`` runs in a process kept ready for it.

A fresh ``specfirst generate`` spends most of a small edit importing datamodel-code-generator
and openapi-spec-validator. So, like Gradle's daemon or dmypy, the first run (in process, as
always) starts a *warm process* in the background that imports them once; later runs hand it
their work over a Unix socket:

- the client (``specfirst generate`` without ``--watch``) connects to a per-user socket whose
  name is a hash of this install (:func:`fingerprint`: the interpreter, its flags and path, the
  generator's files, the installed packages) and of the user's uid, in a folder only the user
  can enter (``$XDG_RUNTIME_DIR/specfirst``, else ``<tempdir>/specfirst-<uid>``;
  ``SPECFIRST_DAEMON_DIR`` to choose). Each side checks the other's uid (``SO_PEERCRED``).
- it sends its argv, cwd, environment, umask, ``sys.path`` and the settings of its standard
  streams, with the streams' file descriptors themselves (``socket.send_fds``), then waits for
  the exit code. Ctrl-C is passed on; the run stops when the client goes away.
- the warm process forks a child per request; the child takes the client's descriptors as its
  0, 1 and 2, its environment and folder, runs the ordinary command line on argv and exits.
  Output goes to the client's own terminal or pipes, so colours, progress and bytes are those
  of a run in the client. Nothing a run does reaches the next: each child starts from the same
  state, and caches stay on disk as ever.
- the warm process exits after ``SPECFIRST_DAEMON_IDLE`` minutes without a request (15), and
  as soon as the installed code changes (it then no longer matches the socket's name).

Off when ``CI`` is set, with ``SPECFIRST_DAEMON=0`` or ``--no-daemon``, and where the system
lacks ``fork``, ``SO_PEERCRED`` or descriptor passing. Anything that goes wrong before the
warm process took the run means a run in the client instead (said under ``-v``).

Written here rather than taken from a library: what it needs (descriptor passing, peer
credentials, fork) is a few stdlib calls, and the fork servers on PyPI serve WSGI apps.
"""
