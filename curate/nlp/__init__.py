"""The extraction pipeline: a spaCy pipeline that reads an article's text and proposes
claims. It reads vocabularies and writes no rows; `curate.extract` runs it over the
working database and hands its claims to `curate.store`."""
