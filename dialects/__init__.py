"""The dialects of atheena-ir: `ee` (early-exit tensor graph) and `hws` (hardware streams)."""

from collections.abc import Callable

from xdsl.ir import Dialect


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Lazy factories of every project dialect, by name."""

    def get_ee() -> Dialect:
        from atheena_ir.dialects.ee import EE

        return EE

    def get_hws() -> Dialect:
        from atheena_ir.dialects.hws import HWS

        return HWS

    return {"ee": get_ee, "hws": get_hws}
