from journeymap.cli import main

main()
