"""Writing maps out for other tools: `journeymap export csv|xlsx` (spreadsheets)."""
