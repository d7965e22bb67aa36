from plangen.cli import run

run()
