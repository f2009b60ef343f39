"""HTML → PDF: WeasyPrint behind a fenced URL fetcher, and the layout search for one-page handouts."""
