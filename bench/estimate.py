"""Is the quality figure the product shows for a version true? Checked against rows nobody answered.

    .venv/bin/python bench/estimate.py [--seeds 0 1 2 3 4] [--shots 16] [--descriptions with|without]
        [--data ../shared/data/classification]

PROMISE_exp (F / NFR > 11 classes) at `--shots` answered examples per label, per seed: the product trains
its model on the answered rows exactly as a Retrain does (below the validation-split size, so on every
answered row; "with" descriptions, the default, also on the label descriptions and phrases of
bench/taxonomies/promise.yaml, as a project with that label tree does), then computes the figure it
shows for the version (training/ml/estimate.py: 5-fold cross-validation of the linear probe on frozen
embeddings of the same encoder, with the same description texts). Reality is the same model's macro-F1
on every unanswered row. Printed beside it, from the same run: the figure the product showed before
(macro-F1 on its own training rows). Target (issue 16): within 0.05 of reality.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from training.ml.base_model import default_base_model_path  # noqa: E402
from training.ml.estimate import (  # noqa: E402
    artifact_predictions,
    cross_validate,
    predicted_metrics,
    quality_cross_validated,
)
from training.ml.train import TrainConfig, train_classifier  # noqa: E402
from training.ml.train_eval import complete_example, load_labelled_csv, split_rows  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "classification"
TAXONOMY = REPO_ROOT / "bench" / "taxonomies" / "promise.yaml"
TARGET = 0.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--shots", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    parser.add_argument("--descriptions", choices=["with", "without"], default="with")
    parser.add_argument("--json", type=Path, help="also write the per-seed rows here")
    args = parser.parse_args()

    import django
    import torch

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selko.settings")
    django.setup()  # the taxonomy file reader is the product's own
    from training.taxonomy_file import taxonomy_file_read

    torch.set_num_threads(args.threads)
    tree, meanings = taxonomy_file_read(TAXONOMY)
    data = load_labelled_csv(args.data / "promise_exp.csv", tree=tree)
    print(f"PROMISE, {args.shots} answered per label, descriptions: {args.descriptions}", flush=True)
    base = default_base_model_path()
    rows = []
    for seed in args.seeds:
        started = time.perf_counter()
        train_idx, test_idx = split_rows(data, shots=args.shots, train_frac=None, seed=seed)
        answered = [complete_example(data.texts[i], data.labels[i], data.tree) for i in train_idx]
        unanswered = [complete_example(data.texts[i], data.labels[i], data.tree) for i in test_idx]
        with tempfile.TemporaryDirectory() as scratch:
            result = train_classifier(
                examples=answered,
                tree=data.tree,
                config=TrainConfig(seed=seed, device="cpu"),
                output_dir=Path(scratch) / "model",
                meanings=meanings if args.descriptions == "with" else None,
                unanswered_texts=[example.text for example in unanswered],
            )
            estimate_started = time.perf_counter()
            cv = cross_validate(
                examples=answered,
                tree=data.tree,
                trained_keys=result.trained_labels,
                base_model_path=base,
                device=torch.device("cpu"),
                meaning_rows=result.meaning_rows,
                seed=seed,
                decision_rule=str(result.metrics.get("decision_rule", "thresholds")),
            )
            estimate_seconds = time.perf_counter() - estimate_started
            real = predicted_metrics(
                unanswered, artifact_predictions(result.output_dir, unanswered, data.tree), data.tree
            )
        assert cv is not None, "16 shots per label are enough to estimate"
        quality = quality_cross_validated(cv, encoder=base.name)
        row = {
            "seed": seed,
            "answered": len(train_idx),
            "unanswered": len(test_idx),
            "shown": quality["macro_f1"],
            "shown_text": quality["summary"],
            "spread": quality["uncertainty"],
            "real": real["macro_f1"],
            "error": round(quality["macro_f1"] - real["macro_f1"], 4),
            "old_shown_training_rows": result.metrics["macro_f1"],
            "estimate_seconds": round(estimate_seconds, 1),
            "seconds": round(time.perf_counter() - started, 1),
        }
        rows.append(row)
        print(
            f"seed {seed}: shown {row['shown_text']} (before: {row['old_shown_training_rows']:.3f} on its "
            f"training rows) | real macro-F1 on {row['unanswered']} unanswered rows {row['real']:.3f} | "
            f"error {row['error']:+.3f} | estimate {row['estimate_seconds']}s of {row['seconds']}s",
            flush=True,
        )
    errors = [abs(row["error"]) for row in rows]
    mean_error = sum(errors) / len(errors)
    mean_signed = sum(row["error"] for row in rows) / len(rows)
    old_errors = [abs(row["old_shown_training_rows"] - row["real"]) for row in rows]
    within = sum(error <= TARGET for error in errors)
    print(
        f"PROMISE {args.shots} shots, {len(rows)} seeds: |shown - real| mean {mean_error:.3f}, max "
        f"{max(errors):.3f} (signed mean {mean_signed:+.3f}); {within}/{len(rows)} seeds within {TARGET} "
        f"(target: all). Before (training-row figure): |shown - real| mean "
        f"{sum(old_errors) / len(old_errors):.3f}."
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
