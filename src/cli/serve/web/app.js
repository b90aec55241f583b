// The workbench page (placeholder until the page is written).
