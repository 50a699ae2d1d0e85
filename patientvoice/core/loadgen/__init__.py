"""Synthetic data with the shape of real forums, for load tests (issue 9;
docs/decisions/0043). ``manage.py generate_load_data`` is the way in; ``run.generate``
does the work, phase by phase, in bulk."""
