"""A report's way through the workflow: the moves, who may make them, the parts given out, and
what is still missing before a move.
"""
