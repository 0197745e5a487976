"""The project's user-facing error: the tools print its message and exit 1, no traceback."""


class UserError(Exception):
    """A problem with the user's input (file, option, model, budget), worded for the user."""
