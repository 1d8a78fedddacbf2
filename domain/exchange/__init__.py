"""Data exchange with the plant's other systems (DESIGN §2, §10): the nightly ERP sync of customers and
prices, and orders to and from the plant's Excel sheets.

- `encoding.py`: bytes of a CSV from Chinese Excel → text (BOM, strict UTF-8, then GB18030).
- `sheets.py`: rows of a CSV or XLSX as {column key: cell}, the header found by its labels (merged
  and two-level headers included), streamed so a large file never sits in memory whole.
- `erp_rows.py` (columns and row checks), `erp_source.py` (opening a file or URL), `erp_sync.py`
  (the upsert and its history, `ErpSync`).
- `order_sheet.py` (the template's columns), `order_export.py` (export and blank template),
  `order_rows.py` (one row checked like an API request), `order_import.py` (the all-or-nothing import),
  `import_jobs.py` (the background job the upload page polls, `OrderImportJob`).
"""
