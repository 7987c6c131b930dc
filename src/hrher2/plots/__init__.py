"""Draw: tidy frames in, figures out (matplotlib ``Figure`` objects, no pyplot state).

Every figure has a title that states its finding, labelled axes with units, and generated alt text; colours come
from :mod:`hrher2.palette`. One submodule per figure family, named as the compute module it draws from
(:mod:`hrher2.plots.forest` draws :mod:`hrher2.forest`); everything public is re-exported here.
"""
from ._common import *  # noqa: F401,F403
from .provenance import *  # noqa: F401,F403
from .pathway import *  # noqa: F401,F403
from .drugs import *  # noqa: F401,F403
from .survival import *  # noqa: F401,F403
from .forest import *  # noqa: F401,F403
from .comparators import *  # noqa: F401,F403
from .evidence_map import *  # noqa: F401,F403
from .ongoing_trials import *  # noqa: F401,F403
