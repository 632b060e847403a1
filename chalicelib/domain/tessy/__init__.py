"""The EARS-Net export (DOMAIN.md §9): ECDC TESSy records AMRTEST v3 and AMRCOVER v2.

``variables`` reads ECDC's metadata (``tessy_variables.csv``, ``tessy_panels.csv``);
``records`` holds the two record types with TESSy's field names and order; ``plan``
turns closed, deduplicated isolates into records; ``validate`` applies every rule of
the metadata as ECDC would; ``ledger`` compares an export with what was sent before.
Writing the CSV is an adapter's job (``chalicelib.adapters.tessy_csv``).
"""
