"""The app's pages, one module per feature; each view is a module-level function that reads the running
app's state through :func:`plangen.web.core.web_of`. The one route table is :mod:`plangen.web.routes`."""
