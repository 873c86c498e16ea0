"""The workshop: a local web app to compare rollout plans live, with the room watching.

`levers` reads the levers from the scenario schema, `jobs` runs comparisons in the
background with progressive, cancellable results, `views` draws what the room sees,
and `app` serves it all (Starlette on uvicorn, every asset from this package).
"""
