"""Search: the one Vietnamese analyser and the index the CLI and the site's suggestions use."""
