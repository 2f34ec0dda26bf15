"""`python -m briefing_app`: the same as the `briefing-app` command."""

import sys

from .cli import main

sys.exit(main())
