"""booklet: typeset a workshop or conference program into a printable booklet and chair sheets."""

__version__ = "0.1.0"
