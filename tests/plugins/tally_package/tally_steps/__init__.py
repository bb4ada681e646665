"""A step package outside bots/: a step type and the resource it needs, both registered through
the `bots.steps` entry-point group, with no change to the engine."""

from tally_steps.count_words import count_words
from tally_steps.notebook import NOTEBOOK

__all__ = ["NOTEBOOK", "count_words"]
