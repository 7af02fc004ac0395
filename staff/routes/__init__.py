"""The staff view's routes, one module per concern, each with ``add_routes(app, pages)``."""
