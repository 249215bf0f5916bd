"""Base class of generated models.

``defer_build`` postpones building each model's validator until its first use, so importing
a package with thousands of models (GitHub's API has about 4,700) costs a fraction of a second
per hundred models actually used instead of seconds up front.
"""

import pydantic


class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(defer_build=True)
