"""The command line, `python -m analytics …` (or `python -m cli …`): a leaf nothing imports."""
