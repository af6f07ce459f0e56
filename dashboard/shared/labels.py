"""What the pages call things that core names: the tasks' labels."""

from core.tasks import TASKS

TASK_LABELS = {name: spec.label for name, spec in TASKS.items()}  # task name -> form label
