"""The workshop: a local web app to compare rollout plans live, with the room watching.

`levers` reads the levers from the scenario schema, `jobs` runs comparisons in the
background on a warm pool with progressive, cancellable results, `views` draws what
the room sees, `sessions` keeps each tab's state, `security` decides which requests
reach the app, and `app` serves it all (Starlette on uvicorn, every asset from this
package).
"""
