"""The build: the pipeline in named steps, digests, selection, the worker pool, one handout at a time."""
