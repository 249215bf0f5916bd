import sys

from specfirst.cli import main

sys.exit(main())
