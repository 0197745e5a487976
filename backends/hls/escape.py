"""
How text from the user (IR names, platform files) enters the generated project's files.

Every piece of text that is not the printer's own reaches a file through exactly one function
of this module, chosen by the file's language and the place in it:

| target | function | policy |
|---|---|---|
| C++ identifier | `cpp_identifier` | sanitised: `[A-Za-z0-9_]`, no keyword, no reserved name |
| C++ string literal | `cpp_string` | escaped (octal escapes for anything but plain ASCII) |
| C++ `//` comment | `comment_text` | sanitised: printable ASCII without `\\` or `?` |
| RTL port / module name | `hdl_identifier` | sanitised: legal in Verilog and VHDL, no keyword |
| Tcl word | `tcl_word` | brace-quoted, or refused when braces cannot hold it |
| Tcl / Makefile comment | `comment_text` | as for C++ |
| Makefile word | `make_word` | `$` doubled; refused when it holds space, `#`, `\\` or a newline |

```python
>>> cpp_identifier("b-lenet"), cpp_identifier("int"), hdl_identifier("input", "axis")
('b_lenet', 'int_v', 'input_axis')
>>> tcl_word("xc7z045ffg900-2", "part"), comment_text("zc706\\nexec touch X")
('{xc7z045ffg900-2}', 'zc706_exec touch X')

```
"""

from __future__ import annotations

import re

from atheena_ir.errors import UserError

CPP_KEYWORDS = frozenset(
    """alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t
    char16_t char32_t class compl concept const consteval constexpr constinit const_cast continue
    co_await co_return co_yield decltype default delete do double dynamic_cast else enum explicit
    export extern false float for friend goto if inline int long mutable namespace new noexcept
    not not_eq nullptr operator or or_eq private protected public register reinterpret_cast
    requires return short signed sizeof static static_assert static_cast struct switch template
    this thread_local throw true try typedef typeid typename union unsigned using virtual void
    volatile wchar_t while xor xor_eq""".split()
)
"""C++20's keywords and alternative tokens (a superset of C++14's and C++17's)."""

CPP_RESERVED_NAMES = frozenset(
    """atheena hls std main ap_int ap_uint ap_fixed ap_ufixed ap_axiu ap_axis NULL assert errno
    stdin stdout stderr""".split()
)
"""Names the generated code uses unqualified or as namespaces: a stream may not shadow them."""

HDL_KEYWORDS = frozenset(
    # Verilog-2005 and SystemVerilog-2017
    """accept_on alias always always_comb always_ff always_latch and assert assign assume automatic
    before begin bind bins binsof bit break buf bufif0 bufif1 byte case casex casez cell chandle
    checker class clocking cmos config const constraint context continue cover covergroup
    coverpoint cross deassign default defparam design disable dist do edge else end endcase
    endchecker endclass endclocking endconfig endfunction endgenerate endgroup endinterface
    endmodule endpackage endprimitive endprogram endproperty endspecify endsequence endtable
    endtask enum event eventually expect export extends extern final first_match for force
    foreach forever fork forkjoin function generate genvar global highz0 highz1 if iff ifnone
    ignore_bins illegal_bins implements implies import incdir include initial inout input inside
    instance int integer interconnect interface intersect join join_any join_none large let
    liblist library local localparam logic longint macromodule matches medium modport module nand
    negedge nettype new nexttime nmos nor noshowcancelled not notif0 notif1 null or output package
    packed parameter pmos posedge primitive priority program property protected pull0 pull1
    pulldown pullup pulsestyle_ondetect pulsestyle_onevent pure rand randc randcase randsequence
    rcmos real realtime ref reg reject_on release repeat restrict return rnmos rpmos rtran
    rtranif0 rtranif1 s_always s_eventually s_nexttime s_until s_until_with scalared sequence
    shortint shortreal showcancelled signed small soft solve specify specparam static string
    strong strong0 strong1 struct super supply0 supply1 sync_accept_on sync_reject_on table
    tagged task this throughout time timeprecision timeunit tran tranif0 tranif1 tri tri0 tri1
    triand trior trireg type typedef union unique unique0 unsigned until until_with untyped use
    uwire var vectored virtual void wait wait_order wand weak weak0 weak1 while wildcard wire with
    within wor xnor xor"""
    # VHDL-2008 (case-insensitive)
    """ abs access after alias all and architecture array assert assume assume_guarantee
    attribute begin block body buffer bus case component configuration constant context cover
    default disconnect downto else elsif end entity exit fairness file for force function generate
    generic group guarded if impure in inertial inout is label library linkage literal loop map mod
    nand new next nor not null of on open or others out package parameter port postponed procedure
    process property protected pure range record register reject release rem report restrict
    restrict_guarantee return rol ror select sequence severity shared signal sla sll sra srl
    strong subtype then to transport type unaffected units until use variable vmode vprop vunit
    wait when while with xnor xor""".split()
)
"""Reserved words of Verilog, SystemVerilog and VHDL (compared case-insensitively)."""

_COMMENT_SAFE = re.compile(r"[^ !\"#$%&'()*+,\-./0-9:;<=>@A-Z\[\]^_`a-z{|}~]")


def comment_text(text: str) -> str:
    """`text` for a one-line comment of C++, Tcl or a Makefile: every character that could end
    the comment or continue it on the next line (newline, `\\`, a `??/` trigraph) or that is not
    printable ASCII becomes `_`."""
    return _COMMENT_SAFE.sub("_", text)


def cpp_identifier(text: str, *, reserved: frozenset[str] = frozenset()) -> str:
    """A C++ identifier from a name hint: other characters become `_`, a leading digit gets
    `s_`, runs of `_` collapse to one and leading ones go (names with `__` or `_X` are reserved),
    and a keyword or a name the generated code uses (or one of `reserved`) gets `_v`."""
    name = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_]", "_", text)).lstrip("_")
    if not name:
        name = "s"
    if name[0].isdigit():
        name = f"s_{name}"
    if name in CPP_KEYWORDS or name in CPP_RESERVED_NAMES or name in reserved:
        name = f"{name}_v"
    return name


def cpp_string(text: str) -> str:
    """A C++ string literal holding `text` (UTF-8) exactly; `?` is escaped so that no trigraph
    forms under -std=c++14, every byte outside printable ASCII is an octal escape."""
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\?':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


def hdl_identifier(text: str, suffix: str = "") -> str:
    """A name legal in Verilog and VHDL (the RTL names of the top function and its ports):
    ASCII letters, digits and single `_`, starting with a letter, not ending with `_`, no
    reserved word of either language (those get `_p`); `suffix` is appended with a `_`."""
    name = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9]", "_", f"{text}_{suffix}")).strip("_")
    if not name or not name[0].isalpha():
        name = f"p_{name}".rstrip("_")
    return f"{name}_p" if name.lower() in HDL_KEYWORDS else name


def tcl_word(text: str, what: str) -> str:
    """`text` as one literal Tcl word: `{text}` (Tcl substitutes nothing inside braces).

    Braces cannot hold a brace, a backslash or a line break literally, and nothing but
    printable ASCII is expected in a part or a file name: such text is refused (UserError
    naming `what`) instead of being escaped into something Vitis would read differently.
    """
    bad = sorted({ch for ch in text if ch in "{}\\" or not 0x20 <= ord(ch) < 0x7F})
    if bad or not text:
        shown = ", ".join(repr(ch) for ch in bad) or "an empty text"
        raise UserError(
            f"{what} {text!r} cannot be written into run_hls.tcl: it contains {shown}; use "
            "printable ASCII without braces or backslashes"
        )
    return "{" + text + "}"


def make_word(text: str, what: str) -> str:
    """`text` as one Makefile word: `$` is doubled (make expands nothing then); a space, tab,
    `#`, `\\`, `:`/`=`/`;`, a line break or a non-ASCII character is refused (UserError)."""
    bad = sorted({ch for ch in text if ch in " \t#\\:;=%" or not 0x21 <= ord(ch) < 0x7F})
    if bad or not text:
        shown = ", ".join(repr(ch) for ch in bad) or "an empty text"
        raise UserError(f"{what} {text!r} cannot be written into the Makefile: it contains {shown}")
    return text.replace("$", "$$")
