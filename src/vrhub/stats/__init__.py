"""Pure statistics on counts (no warehouse, no catalogue): the floor below measures and analysis."""
