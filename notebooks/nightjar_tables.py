"""Reads Nightjar's output tables (Parquet, partitioned by run_date=...) into pandas.

The output root is a path or URI (file://, hdfs://, s3://): pyarrow picks the file system, so the
notebooks run unchanged against local, HDFS or S3 outputs.
"""
import json
import os

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
