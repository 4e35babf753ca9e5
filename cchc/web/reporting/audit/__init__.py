"""The audit log as Vietnamese sentences: a report's events and the office's."""
