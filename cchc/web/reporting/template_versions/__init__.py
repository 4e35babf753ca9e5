"""Template versions: stored ones (built once, never changed) and drafts being designed."""
