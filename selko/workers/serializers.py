from rest_framework import serializers


class CurrentTaskOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    id = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    project = serializers.SlugField(source="project.slug", allow_null=True, default=None)
    subject = serializers.CharField()


class WorkerOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    host = serializers.CharField()
    pid = serializers.IntegerField()
    queues = serializers.ListField(child=serializers.CharField())
    concurrency = serializers.IntegerField()
    pool = serializers.CharField()
    device = serializers.CharField()
    device_memory_bytes = serializers.IntegerField(allow_null=True)
    started_at = serializers.DateTimeField()
    last_heartbeat_at = serializers.DateTimeField()
    uptime_seconds = serializers.IntegerField()
    tasks_done = serializers.IntegerField()
    current_tasks = CurrentTaskOutputSerializer(many=True)


class TaskFailureOutputSerializer(serializers.Serializer):
    task_name = serializers.CharField()
    task_id = serializers.CharField()
    worker_name = serializers.CharField()
    project = serializers.SlugField(source="project.slug", allow_null=True, default=None)
    subject = serializers.CharField()
    reason = serializers.CharField()
    failed_at = serializers.DateTimeField()


class WorkersOverviewOutputSerializer(serializers.Serializer):
    workers = WorkerOutputSerializer(many=True)
    queue_depths = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    failures = TaskFailureOutputSerializer(many=True)
