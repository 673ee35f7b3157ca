"""Polite fetching of source pages: the interface (interface), its live twin (polite) and its recorded twin (recorded)."""
