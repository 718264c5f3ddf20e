"""Analysis over the warehouse, beside the measures: monthly series of a measure, hot spots and their maps.
The statistics they use (change, trends, space-time, wording) are the floor below, `vrhub.stats`."""
