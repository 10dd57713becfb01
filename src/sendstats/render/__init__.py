"""Reports: the catalogue, render cache keys, executing notebooks, exporting pages, the provenance footer."""
