"""The model registry: versions with metrics and lineage, the active one, promotion, rollback, predictions."""
