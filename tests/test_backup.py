"""Every command leaves a complete file behind it, and `higm backup` copies a live database."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess

from tests.conftest import HIGM, run_higm


def _count(path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"select count(*) from [{table}]").fetchone()[0]


def test_the_file_alone_holds_an_extraction(snapshot_db, tmp_path):
    # the real console command, as an operator runs it, then a plain file copy
    subprocess.run(HIGM + ["extract", "--db", str(snapshot_db)], check=True,
                   capture_output=True)
    wal = snapshot_db.with_name(snapshot_db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.db"
    shutil.copyfile(snapshot_db, copy)  # no -wal beside it
    assert _count(copy, "claims") == _count(snapshot_db, "claims") > 50


def test_backup_copies_what_only_the_log_holds(extracted_db, tmp_path):
    writer = sqlite3.connect(extracted_db)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # the new row stays in the log
    writer.execute("insert into review_settings (name, value) values ('probe', 'in the log')")
    writer.commit()
    try:
        out = tmp_path / "backup.db"
        result = run_higm("backup", "--db", str(extracted_db), "--out", str(out))
        assert "claims" in result.stdout
        with sqlite3.connect(out) as copy:
            assert copy.execute("select value from review_settings where name = 'probe'"
                                ).fetchone() == ("in the log",)
            assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert _count(out, "claims") == _count(extracted_db, "claims")
        assert not out.with_name("backup.db.partial").exists()
    finally:
        writer.close()


def test_backup_refuses_its_own_database_and_a_missing_folder(extracted_db, tmp_path):
    before = extracted_db.read_bytes()
    same = run_higm("backup", "--db", str(extracted_db), "--out", str(extracted_db), check=False)
    assert same.returncode == 1 and "is the database itself" in same.stderr
    assert extracted_db.read_bytes() == before
    missing = run_higm("backup", "--db", str(extracted_db), "--out",
                       str(tmp_path / "no" / "such" / "dir" / "b.db"), check=False)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    not_db = tmp_path / "notes.txt"
    not_db.write_text("not a database")
    bad = run_higm("backup", "--db", str(not_db), "--out", str(tmp_path / "b.db"), check=False)
    assert bad.returncode == 1 and "not a working database" in bad.stderr
    assert not (tmp_path / "b.db").exists()
