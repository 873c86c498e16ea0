"""How the per-person compiled functions are built, and how a step calls them.

The decision pass calls a small function per state, and those call a few helpers; each
call hands on the step as one record of records (people, traits, surroundings, the
day), some 45 arrays. Compiled with numba's reference counting, every such call counts
a reference up and down for every array it passes on (atomic operations, some 90 a
call): measured, that made a person's step 30 times slower than its arithmetic
(550 ns against 5-30 ns). These functions allocate nothing and keep no array beyond
the call, so they are compiled without the reference-counting runtime (numba's
`_nrt=False`, the option its own C-callback functions use): arrays are borrowed for the
call, as in C. A function that allocates cannot be compiled this way (numba refuses
at compile time), so the option cannot hide a leak.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from numba import njit, typeof
from numba.core.dispatcher import Dispatcher
from numba.core.types import Type
from numba.core.typing.typeof import Purpose

per_person = njit(cache=True, _nrt=False)
"""A compiled function for one person's step: no allocation, arrays borrowed."""

per_person_inlined = njit(cache=True, _nrt=False, inline="always")
"""As `per_person`, for a part of the decision pass that reads the step's record:
numba inlines its body where it is called instead of compiling it on its own. Each
function typed with the record (some 100 arrays and numbers) took 0.4-1 s to compile by
itself, much of it a wrapper for calls from Python that unboxes the whole record: the
first run after an install compiled for about 24 s, 17 s with these inlined and the
census's sum written out, and the fused step ran 5% faster (docs/performance.md).
Python may still call one (tests do): it is then compiled on its own, as before."""

per_person_dividing = njit(cache=True, _nrt=False, error_model="numpy")
"""As `per_person`, for a function that divides: NumPy's error model, without the
division check whose exception path stops numba optimising the loop that calls it."""


class StraightCall:
    """A compiled function called with arguments of one type through a run, straight at
    its machine code after the first call.

    numba's dispatcher types every argument on every call to choose the machine code:
    for a step's record of some 60 arrays and numbers that costs about 11 µs (measured),
    ten times the call itself. A run's records keep one type (the same arrays, numbers
    made floats), so the first call goes through the dispatcher, which compiles or
    loads the code for their type, and later calls go straight to that code. What
    could move is guarded: an array of another dtype is refused by the unboxing
    (TypeError), a number of another kind converted; dimensions and layouts are fixed
    by how the records are built. With `checking` on (the tests), every call's type is
    compared with the first's.
    """

    checking = False

    def __init__(self, function: Dispatcher) -> None:
        self.function = function
        self._types: tuple[Type, ...] | None = None
        self._entry: Callable[..., Any] | None = None

    def __call__(self, *args: Any) -> Any:
        if self._types is None:
            result = self.function(*args)
            self._types = tuple(typeof(arg, Purpose.argument) for arg in args)
            compiled = self.function.overloads.get(self._types)
            self._entry = getattr(compiled, "entry_point", None)  # None: the dispatcher
            return result
        if self.checking:
            types = tuple(typeof(arg, Purpose.argument) for arg in args)
            if types != self._types:
                raise TypeError(f"{self.function.__name__}: called with {types}, not {self._types}")
        if self._entry is None:
            return self.function(*args)
        return self._entry(*args)
