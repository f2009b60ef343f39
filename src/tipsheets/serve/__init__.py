"""Watching a project and previewing it: rebuilds on save."""
