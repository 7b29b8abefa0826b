"""People's yes/no answers on requirement x label, each label's readiness for training, the labeling queue."""
