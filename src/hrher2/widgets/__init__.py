"""Interact: thin ipywidgets wrappers. Each builds controls, calls a pure compute function and a draw function,
and shows a sensible default view when first displayed. Bad input never raises: it is explained in words.
One submodule per widget family; everything public is re-exported here.
"""
from ._common import *  # noqa: F401,F403
from .pathway import *  # noqa: F401,F403
from .drugs import *  # noqa: F401,F403
from .survival import *  # noqa: F401,F403
from .disagreements import *  # noqa: F401,F403
