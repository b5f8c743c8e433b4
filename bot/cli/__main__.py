"""`python -m bot.cli`, as the tests run the command."""

from bot.cli import main

main()
