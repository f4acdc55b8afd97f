"""`python -m analytics …`, as documented since the first release: the command line lives in cli/."""

import sys

from cli.main import main

sys.exit(main())
