"""`python -m adoption` runs the command line."""

import sys

from adoption.cli.main import main

sys.exit(main())
