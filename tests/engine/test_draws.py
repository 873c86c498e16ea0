"""Reading a few uniforms of a block gives the block's numbers and leaves the stream
where drawing the whole block leaves it."""

from __future__ import annotations

import numpy as np
import pytest

from adoption.engine.draws import JUMP_COST_IN_DRAWS, uniforms_at

BLOCK = 5_000


@pytest.mark.parametrize(
    "positions",
    [
        [],
        [0],
        [BLOCK - 1],
        [0, 1, 2, 4_999],
        [17, 18, 900, 2_501, 4_000],
        list(range(0, BLOCK, 7)),  # dense: the block is drawn whole
    ],
    ids=["none", "first", "last", "ends", "scattered", "dense"],
)
def test_the_numbers_and_the_stream_after_them_are_the_blocks(positions):
    positions = np.array(positions, dtype=np.int64)
    whole, read = np.random.default_rng(11), np.random.default_rng(11)
    whole.random(3)  # the stream part-way through, as in a run
    read.random(3)
    expected = whole.random(BLOCK)[positions]
    assert uniforms_at(read, positions, BLOCK).tolist() == expected.tolist()
    assert read.random(4).tolist() == whole.random(4).tolist()


def test_scattered_positions_jump_and_many_draw_the_block():
    assert 4 * JUMP_COST_IN_DRAWS < BLOCK <= (BLOCK // 7 + 1) * JUMP_COST_IN_DRAWS


@pytest.mark.parametrize("any_fail", [True, False])
def test_the_uses_rows_are_the_blocks_and_a_row_that_cannot_count_is_jumped(any_fail):
    from adoption.engine.experience import _count_uniforms

    whole, read = np.random.default_rng(5), np.random.default_rng(5)
    expected = whole.random((3, 700))
    uniforms = _count_uniforms(read, 700, any_fail)
    rows = 3 if any_fail else 2
    assert uniforms[:rows].tolist() == expected[:rows].tolist()
    if not any_fail:
        assert not uniforms[2].any()  # a zero mean counts 0 at any uniform
    assert read.random(3).tolist() == whole.random(3).tolist()
