from journeymap.entry import main

main()
