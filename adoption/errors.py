"""The one exception type for bad user input (scenario files, org charts, arguments)."""


class InputError(ValueError):
    """A user-facing input problem; its message names the file, field, row or value.

    Front ends print the message alone (no traceback) and exit with code 2.
    """
