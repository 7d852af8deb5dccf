"""`python -m workshop class-view serve|forget --folder F`: see service.py."""

from workshop.classroom.hub.class_view.service import main

main()
