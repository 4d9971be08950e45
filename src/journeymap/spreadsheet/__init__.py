"""A map as a spreadsheet, the layout `export csv|xlsx` writes and `import csv|xlsx` reads.

`layout.py` names the sheets, their columns and the CSV files beside the steps file; `items.py`
is the small text form of one item of a list cell (a pain point, a KPI, a link...). Both the
exporter and the importer use them, so neither package imports the other.
"""
