"""plangen's built-in plan types, one folder each: the plugin module (model, facts worked out, the
``PlanType``), ``templates/`` (the template and the commented example input) and ``tests/``.

Each is registered through the ``plangen`` entry-point group, exactly as a third-party plugin would be;
nothing in the core knows these names.
"""
