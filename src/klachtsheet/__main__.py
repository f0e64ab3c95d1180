from klachtsheet.cli import main

main()
