"""The output targets of atheena-ir (`-t NAME`)."""

from collections.abc import Callable

from xdsl.utils.target import Target


def get_all_targets() -> dict[str, Callable[[], type[Target]]]:
    """Lazy factories of every project target, by its `-t` name."""

    def report() -> type[Target]:
        from atheena_ir.backends.report import ReportTarget

        return ReportTarget

    def report_json() -> type[Target]:
        from atheena_ir.backends.report_json import ReportJsonTarget

        return ReportJsonTarget

    def dot() -> type[Target]:
        from atheena_ir.backends.dot import DotTarget

        return DotTarget

    def hls() -> type[Target]:
        from atheena_ir.backends.hls.target import HlsTarget

        return HlsTarget

    return {"report": report, "report-json": report_json, "dot": dot, "hls": hls}
