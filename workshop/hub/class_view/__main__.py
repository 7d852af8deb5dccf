"""`python -m workshop.hub.class_view serve|forget --folder F`: see service.py."""

from workshop.hub.class_view.service import main

main()
