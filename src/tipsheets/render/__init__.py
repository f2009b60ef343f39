"""HTML from templates: the sandboxed Jinja environment, inert data, Markdown, translations and formats."""
