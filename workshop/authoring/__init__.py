"""Authors' tools: re-run notebooks, generate exercises, draw pictures, export decks, navigation.

Run them as `python -m workshop COMMAND`; no lesson imports anything from here.
"""
