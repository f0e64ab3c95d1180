from klachtsheet.launch import main

main()
