"""The one exception type for bad user input (scenario files, org charts, arguments)."""


class InputError(ValueError):
    """A user-facing input problem; its message names the file, field, row or value.

    Front ends print the message alone (no traceback) and exit with code 2.
    """


class RunsFailed(RuntimeError):
    """Runs failed so that nothing can be compared (every run, or every run of the baseline).

    Not the user's input as such: front ends print the message alone and exit with 1,
    the code of a sweep whose runs failed.
    """
