"""Experiments: plans × uncertainty samples × replications, on any executor."""
