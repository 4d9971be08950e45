"""One module per lint rule; the registry in `journeymap.lint` imports each by name."""
