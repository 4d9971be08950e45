"""One module per command: arguments in, one call below, printing, exit code out."""
