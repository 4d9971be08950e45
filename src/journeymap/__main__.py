"""`python -m journeymap`: the same as the `journeymap` executable."""

from journeymap.entry import main

main()
