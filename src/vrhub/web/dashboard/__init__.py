"""Dashboard pages: overview, measures, boroughs, hot spots, data quality, definitions, reports, public."""
