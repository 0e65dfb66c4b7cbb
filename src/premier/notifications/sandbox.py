"""A Jinja2 sandbox with a cost limit, for templates that admins edit.

Jinja's own sandbox keeps templates away from Python internals but not from the CPU or
memory: `{{ "x" * 10**9 }}` allocates a gigabyte, and three nested loops over `range(1000)`
run a billion times. Here every way a template can make a large value is checked before it
is made (repetition, powers, format widths, concatenation, method and filter arguments),
every loop iteration and output chunk is counted against a budget, and the whole render has
a deadline. Breaking any of these raises `TemplateTooExpensive`.
"""

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

MAX_OUTPUT_CHARS = 1_000_000  # per rendered part, and per value made on the way
MAX_ITERATIONS = 100_000  # loop iterations per render, all loops together
MAX_RANGE = 10_000
MAX_INT_ARGUMENT = 100_000  # widths, counts and repeats given to filters and methods
MAX_INT_BITS = 4_096
RENDER_SECONDS = 1.0

# A width or precision of six digits or more, one taken from the arguments (`%*d`), or a
# replacement field nested in another (`{:>{}}`): each can make a string of any size.
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{6,}|\d*\.(\*|\d{6,}))|\{[^}]*?(\d{6,}|\{)")


class TemplateTooExpensive(Exception):
    """The template would take too long or too much memory to render."""


@dataclass(slots=True)
class _Budget:
    iterations: int
    deadline: float

    def charge(self, steps: int = 1) -> None:
        self.iterations -= steps
        if self.iterations < 0:
            raise TemplateTooExpensive("it loops too many times")
        if time.monotonic() > self.deadline:
            raise TemplateTooExpensive("it takes too long to render")


_budget: ContextVar[_Budget | None] = ContextVar("premier_template_budget", default=None)


# Outside `bounded_render` (the trusted email layout) only the size limits apply.
_UNLIMITED = _Budget(iterations=2**62, deadline=float("inf"))


def _current() -> _Budget:
    return _budget.get() or _UNLIMITED


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _check_size(value: Any) -> Any:
    size = _size(value)
    if size is not None and size > MAX_OUTPUT_CHARS:
        raise TemplateTooExpensive("it makes a value that is too large")
    return value


# Filters and string methods whose numbers are widths or counts: what they make grows with
# the number, not with what they are given. (Other numbers, amounts say, are left alone.)
SIZING_FILTERS = frozenset({"center", "indent", "truncate", "wordwrap", "batch", "slice"})
SIZING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


def _check_numbers(args: Iterable[Any]) -> None:
    for value in args:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_ARGUMENT:
            raise TemplateTooExpensive("a width or count given to a filter is too large")


def _check_format(pattern: Any) -> None:
    if isinstance(pattern, str) and _WIDE_FORMAT.search(pattern):
        raise TemplateTooExpensive("a format width is too large")


def _bounded_range(*args: int) -> Iterator[int]:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateTooExpensive(f"range() is limited to {MAX_RANGE} numbers")
    return iter(numbers)


@pass_context  # never evaluated while compiling, even over a constant list
def _bounded_iteration(_: Context, values: Any) -> Iterator[Any]:
    """Every loop of a template goes through this (see `_BoundedCodeGenerator`)."""
    budget = _current()
    for value in values:
        budget.charge()
        yield value


def _bounded_concat(*parts: Any) -> Any:
    size = sum(len(part) if isinstance(part, str) else 0 for part in parts)
    if size > MAX_OUTPUT_CHARS:
        raise TemplateTooExpensive("it makes a value that is too large")
    return parts


def _int_bits(value: Any) -> int:
    return value.bit_length() if isinstance(value, int) else 0


class _BoundedCodeGenerator(CodeGenerator):
    """Routes every `for` loop's iterable and every `~` concatenation through the budget."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        # Before the template's filters are looked up, so that ours is among them.
        for loop in node.find_all(nodes.For):
            bounded = nodes.Filter(loop.iter, "premier_iterate", [], [], None, None)
            bounded.set_lineno(loop.lineno)
            loop.iter = bounded
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"{join}(environment.premier_concat(")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(SandboxedEnvironment):
    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _bounded_range
        self.globals.pop("lipsum", None)
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters["premier_iterate"] = _bounded_iteration
        self.premier_concat = _bounded_concat

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # Jinja hands templates a wrapped `str.format`: check the pattern before wrapping.
        if getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format(getattr(value, "__self__", None))
        return super().wrap_str_format(value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _current().charge(0)
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_OUTPUT_CHARS:
                    raise TemplateTooExpensive("it repeats a value too many times")
            if _int_bits(left) + _int_bits(right) > MAX_INT_BITS:
                raise TemplateTooExpensive("it makes a number that is too large")
        elif operator == "**":
            if isinstance(right, int) and _int_bits(left) * abs(right) > MAX_INT_BITS:
                raise TemplateTooExpensive("it makes a number that is too large")
        elif operator == "%":
            _check_format(left)
        elif operator == "+":
            sizes = (_size(left), _size(right))
            if None not in sizes and sum(s or 0 for s in sizes) > MAX_OUTPUT_CHARS:
                raise TemplateTooExpensive("it makes a value that is too large")
        return _check_size(super().call_binop(context, operator, left, right))

    def call(
        __self,  # the sandbox's own signature: `self` may be a template's keyword argument
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        _current().charge(0)
        _check_method(__obj, args, kwargs)
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def _check_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """String methods that can make far more than they are given."""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in SIZING_METHODS:
        _check_numbers([*args, *kwargs.values()])
    elif name in ("format", "format_map"):
        _check_format(owner)
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str):
        old, new = args[0], str(args[1])
        grows = owner.count(old) if old else len(owner) + 1
        if len(owner) + grows * max(0, len(new) - len(old)) > MAX_OUTPUT_CHARS:
            raise TemplateTooExpensive("it makes a value that is too large")
    elif (
        name == "join"
        and args
        and isinstance(args[0], list | tuple | str)
        and len(owner) * len(args[0]) > MAX_OUTPUT_CHARS
    ):
        raise TemplateTooExpensive("it makes a value that is too large")


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    sizing = name in SIZING_FILTERS
    formatting = name == "format"

    @wraps(function)  # keeps Jinja's pass_context/pass_eval_context marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _current().charge(0)
        if sizing:
            _check_numbers([*args, *kwargs.values()])
        if formatting:
            _check_format(args[0])
        return _check_size(function(*args, **kwargs))

    return bounded


def bounded_render(template: Any, context: dict[str, Any]) -> str:
    """Render with a fresh budget, stopping as soon as the output passes its limit."""
    token = _budget.set(_Budget(MAX_ITERATIONS, time.monotonic() + RENDER_SECONDS))
    try:
        chunks: list[str] = []
        length = 0
        budget = _current()
        for chunk in template.generate(context):
            length += len(chunk)
            if length > MAX_OUTPUT_CHARS:
                raise TemplateTooExpensive("its output is too long")
            budget.charge(0)
            chunks.append(chunk)
        return "".join(chunks)
    finally:
        _budget.reset(token)
