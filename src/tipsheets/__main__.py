from tipsheets.cli import main

main()
