"""What a lesson cell runs: the background server, show(), load_app, %%add_to, catch_up, widgets.

Students reach it through `import workshop` (the public API in workshop/__init__.py).
"""
