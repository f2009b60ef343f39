"""Writing into the output folder: atomic files, the manifest, the record of the last build, the gallery."""
