"""One simulation run: a SimPy clock driving a Mesa model whose people live in arrays."""
