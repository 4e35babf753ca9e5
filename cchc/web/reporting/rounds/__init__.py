"""A round once it is open: its changes, and its dashboard in SQL."""
