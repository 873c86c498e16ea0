"""Reading a few numbers of a block of uniforms without drawing the rest.

A step's stream use must not depend on what happened in it (so that plans share their
streams), so some blocks are one uniform per person, of which only a few are read: the
training sign-up of those who became aware reads 5,000 numbers to use a handful.
PCG64 (NumPy's default) can jump ahead any number of draws in a few multiplications
(`advance`), so the numbers read are drawn where they lie and the rest skipped: the
same numbers, and the stream left where drawing the whole block leaves it.
"""

from __future__ import annotations

import numpy as np

JUMP_COST_IN_DRAWS = 300
"""About what one jump and one single draw cost, in draws of a block (measured:
0.7 µs against 2.3 ns a number); with more numbers to read than the block's size over
this, drawing the block is cheaper."""


def uniforms_at(rng: np.random.Generator, positions: np.ndarray, block: int) -> np.ndarray:
    """The U(0,1) numbers at `positions` (ascending, below `block`) of the next `block`
    of `rng`, which is left after the block, as `rng.random(block)[positions]` leaves it."""
    if positions.size * JUMP_COST_IN_DRAWS >= block:
        return rng.random(block)[positions]
    bit_generator = rng.bit_generator
    numbers = np.empty(positions.size)
    drawn = 0
    for k, position in enumerate(positions.tolist()):
        if position > drawn:
            bit_generator.advance(position - drawn)
        numbers[k] = rng.random()
        drawn = position + 1
    if block > drawn:
        bit_generator.advance(block - drawn)
    return numbers
