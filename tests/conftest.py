import sys
from pathlib import Path

# Let tests import their shared fixtures (seed_page) as plain modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))
