"""Web steps: forms, searches and screens of the recipe's target system (``needs=("web",)``)."""

from bots.web.resource import WEB

__all__ = ["WEB"]
