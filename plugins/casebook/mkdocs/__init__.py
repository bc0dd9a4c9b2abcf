"""The MkDocs adapter: calls the casebook core at the right build events, nothing more."""
