"""Raw files to tables: the readers (``ingest``), the table registry, the store and its builders, factors
and geography."""
