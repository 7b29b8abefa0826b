"""Exports of requirements with people's and the model's labels: at once, or by a worker when large."""
