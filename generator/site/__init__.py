"""The site: rendering the model, the MkDocs plugin and its page kinds, build, serve and export."""
