"""python -m generator.cli: the sotay command."""

from . import main

main()
