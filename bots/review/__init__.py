"""The analysts' review page: the exception queue, one item with its evidence, and insights.

Served by `python runner.py review` (``bots.commands.review``); ``create_app`` builds the
Starlette application over a state database and folder.
"""

from bots.review.app import create_app

__all__ = ["create_app"]
