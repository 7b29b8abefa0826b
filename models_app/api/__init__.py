"""API views and serializers of the taxonomy, annotations, labeling queue and exports."""
