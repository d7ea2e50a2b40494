"""Reads Nightjar's output tables (Parquet, partitioned by run_date=...) into pandas.

The output root is a path or URI (file://, hdfs://, s3://): pyarrow picks the file system, so the
notebooks run unchanged against local, HDFS or S3 outputs.
"""
import json
import os
from urllib.parse import urlparse

import pyarrow.dataset as ds
import pyarrow.fs as pafs


def output_root():
    """The output root the notebooks read: $NIGHTJAR_OUTPUT, else ../output."""
    return os.environ.get("NIGHTJAR_OUTPUT", os.path.join("..", "output"))


def _filesystem(root):
    if "://" in root:
        return pafs.FileSystem.from_uri(root)
    return pafs.LocalFileSystem(), os.path.abspath(root)


def table(name, root=None):
    """The table `name` (runs, metrics, train_metrics, predictions, ...) as a DataFrame, or None if absent."""
    fs, base = _filesystem(root or output_root())
    path = base.rstrip("/") + "/" + name
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return None
    frame = ds.dataset(path, format="parquet", partitioning="hive", filesystem=fs).to_table().to_pandas()
    if "run_date" in frame.columns:
        frame["run_date"] = frame["run_date"].astype(str)
    return frame


def model_metadata(run_date, root=None):
    """The model.json of a run date, as a dict, or None."""
    fs, base = _filesystem(root or output_root())
    path = f"{base.rstrip('/')}/models/run_date={run_date}/model.json"
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return None
    with fs.open_input_stream(path) as stream:
        return json.loads(stream.read())


def _read(fs, path):
    with fs.open_input_stream(path) as stream:
        return stream.read()


def serving(run_date, root=None):
    """The optimize stage's serving.json of a run date, as a dict, or None."""
    fs, base = _filesystem(root or output_root())
    path = f"{base.rstrip('/')}/optimized/run_date={run_date}/serving.json"
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return None
    return json.loads(_read(fs, path))


def serving_model(run_date, root=None):
    """The bytes of a run date's serving model: the file serving.json names, or, when the output
    root was moved or copied since, the file of that name in the variants folder beside it."""
    decision = serving(run_date, root)
    uri = decision["file"]
    if uri.startswith("file:"):
        fs, path = pafs.LocalFileSystem(), urlparse(uri).path
    else:
        fs, path = pafs.FileSystem.from_uri(uri)
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        fs, base = _filesystem(root or output_root())
        path = f"{base.rstrip('/')}/optimized/run_date={run_date}/variants/{uri.rsplit('/', 1)[-1]}"
    return _read(fs, path)


def examples(run_date, split="test", root=None):
    """The prepared examples of a run date's split (id, label, pixels), or None."""
    fs, base = _filesystem(root or output_root())
    path = f"{base.rstrip('/')}/prepared/run_date={run_date}/examples/split={split}"
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return None
    return ds.dataset(path, format="parquet", filesystem=fs).to_table().to_pandas()
