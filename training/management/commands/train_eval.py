"""`manage.py train_eval`: train on part of a labelled CSV with the product's code and print metrics."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selko.errors import ValidationFailed
from training.ml.errors import MLError


class Command(BaseCommand):
    help = (
        "Train the product's classifier on part of a labelled CSV and print metrics on the rest "
        "(leaf macro/micro-F1, F1 of every tree node, macro-F1 per depth, speed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data", required=True, type=Path, help="CSV file with a text and a label column"
        )
        parser.add_argument("--text-col", default="text")
        parser.add_argument("--label-col", default="label")
        parser.add_argument("--sep", default="|", help="separator between several labels of one row")
        tree = parser.add_mutually_exclusive_group()
        tree.add_argument("--hierarchy", type=Path, help="file of label paths, one per line ('NFR > PE')")
        tree.add_argument(
            "--taxonomy",
            type=Path,
            help="label tree with descriptions and example phrases, in the product's YAML/JSON format "
            "(the Labels page's export); the meanings train with the examples",
        )
        split = parser.add_mutually_exclusive_group(required=True)
        split.add_argument(
            "--shots",
            type=int,
            help="K training examples per leaf label; 0 measures the zero-shot model on every row",
        )
        split.add_argument("--train-frac", type=float, help="fraction of rows for training (stratified)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--epochs", type=int, help="override the epochs chosen from the data size")
        parser.add_argument("--quantize", action="store_true", help="predict with int8 dynamic quantisation")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        # Lazy on purpose: transformers reads HF_HUB_OFFLINE when it is imported, so it must come after.
        from training.ml.train import TrainConfig
        from training.ml.train_eval import load_labelled_csv, run_train_eval
        from training.taxonomy_file import taxonomy_file_read

        try:
            tree, meanings = taxonomy_file_read(options["taxonomy"]) if options["taxonomy"] else (None, None)
            data = load_labelled_csv(
                options["data"],
                text_col=options["text_col"],
                label_col=options["label_col"],
                sep=options["sep"],
                hierarchy=options["hierarchy"],
                tree=tree,
            )
            report = run_train_eval(
                data,
                shots=options["shots"],
                train_frac=options["train_frac"],
                seed=options["seed"],
                config=TrainConfig(epochs=options["epochs"]),
                quantize=options["quantize"],
                meanings=meanings,
            )
        except (MLError, ValidationFailed, ValueError, OSError) as error:
            raise CommandError(str(error)) from error
        report.pop("test_indices", None)
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"{report['protocol']} seed {report['seed']}: "
            f"{report['n_train']} train / {report['n_test']} test, "
            f"trained in {report['train_seconds']} s on {report['device']}, "
            f"{report['predict_per_second']} texts/s"
        )
        self.stdout.write(f"leaf macro-F1 {report['macro_f1']:.4f}   micro-F1 {report['micro_f1']:.4f}")
        self.stdout.write(
            "per depth: " + ", ".join(f"{depth}: {f1:.4f}" for depth, f1 in report["per_level"].items())
        )
        self.stdout.write(f"{'label':<24} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}")
        for key, row in report["per_label"].items():
            scores = f"{row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f}"
            self.stdout.write(f"{key:<24} {scores} {row['support']:>8}")
        if report["from_meaning"]:
            few = ", ".join(f"{k} ({n})" for k, n in report["from_meaning"].items())
            self.stdout.write(f"below the minimum of examples, resting on their meaning: {few}")
        if report["skipped_labels"]:
            skipped = ", ".join(report["skipped_labels"])
            self.stdout.write(f"not trained (no example and no meaning): {skipped}")
