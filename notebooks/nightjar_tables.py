"""Reads Nightjar's output tables (Parquet, partitioned by run_date=...) into pandas.

The output root is a path or URI (file://, hdfs://, s3://): pyarrow picks the file system, so the
notebooks run unchanged against local, HDFS or S3 outputs.

Each run date's output lives in a version folder (table/run_date=D/_versions/V/) that the date's
commit record (_commits/run_date=D/UNIT.json) names; a commit replaces the record in one step. So
every output is read through the records, as Nightjar's own readers do, and a reader never sees
half of a commit. An output that no record names is read where it is.
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


def _records(fs, base, run_date=None):
    """The commit records of one run date, or of every date: a list of dicts."""
    commits = f"{base}/_commits"
    if run_date is not None:
        dates = [f"{commits}/run_date={run_date}"]
    else:
        listing = fs.get_file_info(pafs.FileSelector(commits, allow_not_found=True))
        dates = [i.path for i in listing
                 if i.type == pafs.FileType.Directory and i.base_name.startswith("run_date=")]
    records = []
    for date in dates:
        for info in fs.get_file_info(pafs.FileSelector(date, allow_not_found=True)):
            if info.type == pafs.FileType.File and info.base_name.endswith(".json") \
                    and not info.base_name.startswith("."):
                records.append(json.loads(_read(fs, info.path)))
    return records


def _resolve(fs, base, relative, records):
    """Where `relative` (e.g. optimized/run_date=D/serving.json) is published under `base`."""
    for record in records:
        for name, folder in record["outputs"].items():
            if relative == name or relative.startswith(name + "/"):
                return f"{base}/{folder}{relative[len(name):]}"
    return f"{base}/{relative}"


def _published(fs, base, run_date, relative):
    return _resolve(fs, base, relative, _records(fs, base, run_date))


def _partition_columns(output):
    """The hive partition values in an output's name: {"run_date": ..., "stage": ...}."""
    return dict(part.split("=", 1) for part in output.split("/")[1:] if "=" in part)


def table(name, root=None):
    """The table `name` (runs, metrics, train_metrics, predictions, ...) as a DataFrame, or None if absent."""
    import pandas as pd

    fs, base = _filesystem(root or output_root())
    base = base.rstrip("/")
    outputs = {}
    for record in _records(fs, base):
        for output, folder in record["outputs"].items():
            if output.startswith(name + "/"):
                outputs[output] = f"{base}/{folder}"
    recorded_dates = {"/".join(o.split("/")[:2]) for o in outputs}
    table_dir = f"{base}/{name}"
    for info in fs.get_file_info(pafs.FileSelector(table_dir, allow_not_found=True)):
        output = f"{name}/{info.base_name}"
        if info.type == pafs.FileType.Directory and info.base_name.startswith("run_date=") \
                and output not in recorded_dates:
            # Written in place, with no record: read as it is, its sub-partitions included.
            frame = ds.dataset(info.path, format="parquet", partitioning="hive",
                               filesystem=fs).to_table().to_pandas()
            outputs[output] = frame
    if not outputs:
        return None
    frames = []
    for output, source in sorted(outputs.items()):
        frame = source if not isinstance(source, str) else \
            ds.dataset(source, format="parquet", filesystem=fs).to_table().to_pandas()
        for column, value in _partition_columns(output).items():
            frame[column] = value
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    if "run_date" in frame.columns:
        frame["run_date"] = frame["run_date"].astype(str)
    return frame


def model_metadata(run_date, root=None):
    """The model.json of a run date, as a dict, or None."""
    fs, base = _filesystem(root or output_root())
    path = _published(fs, base.rstrip("/"), run_date, f"models/run_date={run_date}/model.json")
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
    path = _published(fs, base.rstrip("/"), run_date, f"optimized/run_date={run_date}/serving.json")
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
    elif uri.startswith("s3a://"):
        # Hadoop's scheme for S3: read with the output root's S3 settings (endpoint, region).
        fs, path = _filesystem(root or output_root())[0], uri[len("s3a://"):]
    else:
        fs, path = pafs.FileSystem.from_uri(uri)
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        fs, base = _filesystem(root or output_root())
        path = _published(fs, base.rstrip("/"), run_date,
                          f"optimized/run_date={run_date}/variants/{uri.rsplit('/', 1)[-1]}")
    return _read(fs, path)


def examples(run_date, split="test", root=None):
    """The prepared examples of a run date's split (id, label, pixels), or None."""
    fs, base = _filesystem(root or output_root())
    path = _published(fs, base.rstrip("/"), run_date,
                      f"prepared/run_date={run_date}/examples/split={split}")
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return None
    return ds.dataset(path, format="parquet", filesystem=fs).to_table().to_pandas()
