"""Guided workflows: the answers that tailor a case, and due dates by working days."""
