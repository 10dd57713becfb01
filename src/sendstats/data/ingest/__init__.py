"""Readers: one module per publisher/format. Each turns a raw file into a tidy DataFrame or raises DataError."""
