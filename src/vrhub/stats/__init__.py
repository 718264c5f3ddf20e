"""Pure statistics on counts (no warehouse, no catalogue): change between periods, monthly trends and steps,
space-time statistics of hot spots, and the plain-English wording of a change. The floor below measures and
analysis."""
