"""One module per dkpi command."""
