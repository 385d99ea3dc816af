"""The workbench's pages, one module per piece of the council's work."""
