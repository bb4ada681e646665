"""What every layer shares, and what a step package outside bots/ imports.

    from bots.kernel import StepContext, StepParams, step, BusinessError

Work items, the step contract, resources, outcomes, errors and references between values live
here; this package imports nothing else of ``bots``.
"""

from bots.kernel.errors import (
    CODES,
    ApplicationError,
    BotError,
    BusinessError,
    ConfigError,
    ItemError,
    Problem,
    RecipeError,
    TransientError,
)
from bots.kernel.items import WorkItem
from bots.kernel.outcome import Outcome
from bots.kernel.resources import Provider, Resource, ResourceType, Scope
from bots.kernel.steps import StepContext, StepFunction, StepParams, StepType, step

__all__ = ["CODES", "ApplicationError", "BotError", "BusinessError", "ConfigError", "ItemError",
           "Outcome",
           "Problem", "Provider", "RecipeError", "Resource", "ResourceType", "Scope",
           "StepContext", "StepFunction", "StepParams", "StepType", "TransientError",
           "WorkItem", "step"]
