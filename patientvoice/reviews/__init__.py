"""Ratings and reviews of medicines, physicians and clinics (issue 5; decisions/0031)."""
