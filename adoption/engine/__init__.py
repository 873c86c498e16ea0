"""One simulation run: a SimPy clock driving a Mesa model whose people live in arrays."""

from adoption.engine.compiled_cache import ENGINE, stamp_with_folder

stamp_with_folder(ENGINE)  # before any module of the engine compiles or loads a function
