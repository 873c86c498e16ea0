"""How the per-person compiled functions are built.

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

from numba import njit

per_person = njit(cache=True, _nrt=False)
"""A compiled function for one person's step: no allocation, arrays borrowed."""

per_person_dividing = njit(cache=True, _nrt=False, error_model="numpy")
"""As `per_person`, for a function that divides: NumPy's error model, without the
division check whose exception path stops numba optimising the loop that calls it."""
