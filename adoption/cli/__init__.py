"""The `adoption` command line: argument parsing and output only, no model logic."""
