"""The output targets of atheena-ir (`-t NAME`)."""

from collections.abc import Callable

from xdsl.utils.target import Target


def get_all_targets() -> dict[str, Callable[[], type[Target]]]:
    """Lazy factories of every project target, by its `-t` name."""
    return {}
