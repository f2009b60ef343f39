"""Watching a project and previewing it: rebuilds on save, and the preview server.

Design: ``watch`` turns saves into batches of changed files. ``session`` runs
the builds of a preview in one thread, with warm workers, and keeps what each
handout's preview shows; ``pictures`` draws a PDF's pages; ``pages`` makes the
preview page and the served copies of built pages (never the files); ``app``
is the Starlette application (whom it answers, what it serves); ``server``
binds the address and runs it with uvicorn. The layer imports from build and
below; only the command line imports it.
"""
