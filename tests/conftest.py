"""Settings for the whole suite."""

import os

# Every ``specfirst generate`` a test runs (in process or as a subprocess) runs in its own
# process: no warm generator is used or started behind the tests' backs. The tests of the warm
# generator (tests/cli/test_warm.py) start and stop their own, in a folder of their own.
os.environ["SPECFIRST_DAEMON"] = "0"
