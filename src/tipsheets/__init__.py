"""tipsheets: branded, accessible tip sheets, desk aids and flyers from YAML content."""

__version__ = "0.1.0"
