#!/usr/bin/env python3
"""Compares the packages of two CycloneDX BOMs: trivy's and herkomst's (bench/fs/README.md).

A package is its PURL without qualifiers and subpath, percent-decoded and lower-cased, with a
Go version's leading "v" dropped (trivy writes go.mod versions without it, binary ones with it).
Prints the coverage (the share of trivy's packages herkomst also reports), then the packages
only one tool found, grouped by PURL type, with examples.
Usage: compare.py TRIVY.cdx.json HERKOMST.cdx.json [--list N]
"""
import collections
import json
import sys
import urllib.parse


def components(bom):
    stack = list(bom.get("components", []))
    while stack:
        c = stack.pop()
        yield c
        stack.extend(c.get("components", []))


def key(purl):
    purl = purl.split("#", 1)[0]
    purl, _, query = purl.partition("?")
    qualifiers = dict(q.split("=", 1) for q in query.split("&") if "=" in q)
    purl = urllib.parse.unquote(purl).lower()
    # trivy writes a deb/rpm epoch as the "epoch" qualifier, herkomst in the version ("1:2.38"),
    # as dpkg and rpm print it: the same package either way.
    epoch = qualifiers.get("epoch")
    if epoch and "@" in purl and purl.startswith(("pkg:deb/", "pkg:rpm/")):
        name, version = purl.rsplit("@", 1)
        purl = f"{name}@{epoch}:{version}"
    if purl.startswith("pkg:golang/") and "@v" in purl:
        purl = purl.replace("@v", "@", 1)
    return purl


def packages(path):
    with open(path, encoding="utf-8") as f:
        bom = json.load(f)
    return {key(c["purl"]) for c in components(bom) if c.get("purl")}


def main():
    args = sys.argv[1:]
    limit = 10
    if "--list" in args:
        i = args.index("--list")
        limit = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    trivy, herkomst = packages(args[0]), packages(args[1])
    both = trivy & herkomst
    # A Go dependency replaced by a local directory ("dep example.com/m/x v0.0.0 => ./x (devel)"
    # in the build info): trivy names it by the directory (pkg:golang/./x@(devel)), herkomst by
    # its module path (pkg:golang/example.com/m/x@v0.0.0-...). The same module: matched here by
    # the module path ending in the directory, and counted apart.
    herkomst_go = [p.split("@", 1)[0] for p in herkomst if p.startswith("pkg:golang/")]
    local = set()
    for p in trivy - herkomst:
        if p.startswith("pkg:golang/./"):
            directory = p[len("pkg:golang/./"):].split("@", 1)[0]
            if any(h.endswith("/" + directory) for h in herkomst_go):
                local.add(p)
    both |= local
    coverage = 100.0 * len(both) / len(trivy) if trivy else 100.0
    print(f"trivy packages: {len(trivy)}, herkomst packages: {len(herkomst)}, both: {len(both)}")
    print(f"coverage of trivy's packages: {coverage:.2f} % "
          f"({len(local)} of them Go modules replaced by a local directory, named by their module path)")
    for title, only in (("only trivy", trivy - both), ("only herkomst", herkomst - trivy)):
        by_type = collections.defaultdict(list)
        for p in sorted(only):
            by_type[p.split("/", 1)[0]].append(p)
        print(f"\n{title}: {len(only)}")
        for t, items in sorted(by_type.items(), key=lambda kv: -len(kv[1])):
            print(f"  {t}: {len(items)}")
            for p in items[:limit]:
                print(f"    {p}")


if __name__ == "__main__":
    main()
