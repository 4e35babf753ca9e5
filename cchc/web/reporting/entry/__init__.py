"""Filling a report: values and texts saved, prefill, narrative drafts and imports, the
document's details.
"""
