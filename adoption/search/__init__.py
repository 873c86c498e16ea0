"""Searching the plan template for the rollout plan that pays best across the worlds we
cannot tell apart in advance (`adoption search`, `adoption.search`)."""
