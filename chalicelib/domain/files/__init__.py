"""The import files of DOMAIN.md §4: one module per file type, each turning the
rows of a spreadsheet into typed rows and a report of every problem."""
