"""The PubMed baseline workflow's speed and memory, in one run.

    .venv/bin/python -m benchmarks.bench_workflow [--records 30000] [--share 0.005]

1. A baseline-shaped file of --records records, --share of them on-topic (the snapshot's
   real records under new PMIDs), the rest off-topic copies (tests/pubmed_files.py).
2. Records/s of lxml iterparse alone over the file (each record built and cleared), and of
   one shard job in one process (parse into records, the panel filter, the shard written):
   the ratio is the issue's target (at least 0.5).
3. One `higm shard` job as its own process: wall time and peak memory.
4. The whole workflow (four files of a quarter each, shards and merge) with --cores 1 and 2.
5. A projection for the whole baseline (1,274 files of 30,000 records) on 100 cores, from
   the measured per-file job time.
"""
from __future__ import annotations

import argparse
import copy
import gzip
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, machine


_TOPICS = ["Forests", "Nitrogen", "Soil", "Seasons", "Trees", "Climate", "Water Movements",
           "Ecosystem", "Nitrates", "Rain", "Temperature", "Biomass"]


def _realistic(record, pmid: str):
    """An off-topic record of a real record's size: its authors and journal kept, an
    abstract of about 1,300 characters and twelve MeSH headings about something else."""
    from lxml import etree
    from tests.pubmed_files import OFF_TOPIC, _off_topic
    copy_ = _off_topic(record, pmid)
    abstract = copy_.find(".//Abstract/AbstractText")
    if abstract is not None:
        abstract.text = " ".join([OFF_TOPIC[1]] * 9)
    citation = copy_.find("MedlineCitation")
    headings = etree.SubElement(citation, "MeshHeadingList")
    for name in _TOPICS:
        heading = etree.SubElement(headings, "MeshHeading")
        etree.SubElement(heading, "DescriptorName", UI="D000000", MajorTopicYN="N").text = name
        etree.SubElement(heading, "QualifierName", UI="Q000000", MajorTopicYN="N").text = "analysis"
    return copy_


def build_file(path: Path, records: int, share: float) -> int:
    from lxml import etree
    from tests.pubmed_files import _records
    real = _records()
    on_topic = max(1, int(records * share))
    root = etree.Element("PubmedArticleSet")
    for i in range(records):
        if i % (records // on_topic) == 0 and on_topic:
            record = copy.deepcopy(real[i % len(real)])
            for element in record.iter("PMID"):
                element.text = str(800_000_000 + i)
            root.append(record)
            on_topic -= 1
        else:
            root.append(_realistic(real[i % len(real)], str(900_000_000 + i)))
    with gzip.open(path, "wb", compresslevel=6) as handle:
        handle.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return records


def iterparse_alone(path: Path) -> float:
    from lxml import etree
    start, count = time.perf_counter(), 0
    with gzip.open(path, "rb") as handle:
        for _, element in etree.iterparse(handle, tag="PubmedArticle"):
            count += 1
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--share", type=float, default=0.005)
    args = parser.parse_args()
    import os
    os.environ["HIGM_PARSE_WORKERS"] = "1"  # one core per job, as the workflow runs them
    from harvest.shards import write_shard
    higm = str(Path(sys.executable).parent / "higm")
    snakemake = str(Path(sys.executable).parent / "snakemake")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "pubmed26n0001.xml.gz"
        build_file(source, args.records, args.share)
        print(f"file: {args.records:,} records, {args.share:.1%} on-topic, "
              f"{source.stat().st_size / 2**20:.1f} MB gzipped")
        # best of three each: these 2-core machines vary 30-50 % between runs
        alone = max(iterparse_alone(source) for _ in range(3))
        ours = 0.0
        for _ in range(3):
            start = time.perf_counter()
            counts = write_shard(source, tmp / "s.jsonl.gz")
            ours = max(ours, counts.read / (time.perf_counter() - start))
        print(f"lxml iterparse alone: {alone:,.0f} records/s; shard job in-process (parse, "
              f"filter, write): {ours:,.0f} records/s; ratio {ours / alone:.2f}; "
              f"kept {counts.kept} of {counts.read}")
        start = time.perf_counter()
        # the job's own peak (a forked child's ru_maxrss counts the parent's pages too)
        timed = subprocess.run(["/usr/bin/time", "-f", "%M", higm, "shard", str(source),
                                "--out", str(tmp / "t.jsonl.gz")],
                               check=True, capture_output=True, text=True, env={**os.environ})
        job = time.perf_counter() - start
        peak = int(timed.stderr.strip().splitlines()[-1]) / 1024
        print(f"one `higm shard` job as a process: {job:.1f} s, peak memory {peak:.0f} MB")
        if Path(snakemake).exists():
            folder = tmp / "in"
            folder.mkdir()
            for n in range(4):
                build_file(folder / f"pubmed26n{n + 1:04d}.xml.gz", args.records // 4, args.share)
            for cores in (1, 2):
                run = tmp / f"run{cores}"
                run.mkdir()
                start = time.perf_counter()
                subprocess.run([snakemake, "--snakefile", str(ROOT / "workflow" / "Snakefile"),
                                "--cores", str(cores), "--directory", str(run), "--config",
                                f"input={folder}", f"db={run / 'work.db'}"],
                               check=True, capture_output=True)
                print(f"workflow, 4 files of {args.records // 4:,} records, --cores {cores}: "
                      f"{time.perf_counter() - start:.1f} s (shards and merge)")
        files, cores = 1274, 100
        projection = files / cores * job * (30_000 / args.records)
        print(f"projection, whole baseline ({files:,} files of 30,000 records) on {cores} cores: "
              f"about {projection:.0f} s of shard jobs ({files / cores:.1f} waves of {job:.1f} s "
              f"per file here; real files are larger, so scale by their size), then one merge "
              f"of the kept records")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
