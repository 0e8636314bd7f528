"""Talks to govkg's /sparql with SPARQLWrapper, a client govkg's authors did not write.

Usage: python3 tests/sparql_client.py http://127.0.0.1:PORT/sparql
Prints one `name: value` line per check; tests/serve.rs asserts on them.
"""

import json
import sys

from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

PREFIXES = """PREFIX govkg: <https://w3id.org/govkg/ont#>
PREFIX gaz: <https://w3id.org/govkg/gaz/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX gfn: <https://w3id.org/govkg/fn#>
"""

url = sys.argv[1]


def client(fmt, method=GET, request=URLENCODED):
    s = SPARQLWrapper(url)
    s.setReturnFormat(fmt)
    s.setMethod(method)
    if method == POST:
        s.setRequestMethod(request)
    return s


# SELECT, JSON, GET
s = client(JSON)
s.setQuery(PREFIXES + "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a govkg:Project }")
r = s.query().convert()
print("json-projects:", r["results"]["bindings"][0]["n"]["value"])

# SELECT, XML, POST form-encoded
s = client(XML, POST, URLENCODED)
s.setQuery(PREFIXES + "SELECT ?l WHERE { gaz:中轴线 rdfs:label ?l } ORDER BY ?l")
doc = s.query().convert()
literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
print("xml-labels:", "|".join(literals))

# SELECT, CSV, POST application/sparql-query
s = client(CSV, POST, POSTDIRECTLY)
s.setQuery(PREFIXES + "SELECT ?l WHERE { gaz:中轴线 rdfs:label ?l FILTER(LANG(?l) = 'zh') }")
print("csv:", s.query().convert().decode("utf-8").strip().replace("\r\n", "|"))

# SELECT, TSV, GET, with govkg's distance function
s = client(TSV)
s.setQuery(
    PREFIXES
    + """SELECT ?d WHERE { gaz:天安门 geo:hasGeometry/geo:asWKT ?a .
    gaz:中轴线 geo:hasGeometry/geo:asWKT ?b . BIND(gfn:distance(?a, ?b) < 100 AS ?d) }"""
)
print("tsv-near:", s.query().convert().decode("utf-8").strip().replace("\n", "|"))

# ASK, JSON
s = client(JSON, POST)
s.setQuery(PREFIXES + "ASK { gaz:中轴线 a govkg:GazetteerPlace }")
print("ask:", s.query().convert()["boolean"])

# CONSTRUCT, Turtle
s = client(TURTLE)
s.setQuery(PREFIXES + "CONSTRUCT { gaz:中轴线 rdfs:label ?l } WHERE { gaz:中轴线 rdfs:label ?l }")
turtle = s.query().convert().decode("utf-8")
print("turtle-has-label:", "中轴线" in turtle)

# CONSTRUCT, JSON-LD (read raw: converting needs rdflib)
s = client(JSONLD, POST, POSTDIRECTLY)
s.setQuery(PREFIXES + "CONSTRUCT { gaz:中轴线 rdfs:label ?l } WHERE { gaz:中轴线 rdfs:label ?l }")
raw = s.query().response.read().decode("utf-8")
print("jsonld-has-label:", "中轴线" in json.dumps(json.loads(raw), ensure_ascii=False))

# A syntax error is reported as such
s = client(JSON)
s.setQuery("SELECT WHERE {")
try:
    s.query()
    print("bad-query: accepted")
except QueryBadFormed:
    print("bad-query: QueryBadFormed")

# Updates are refused by a read-only server
s = SPARQLWrapper(url)
s.setMethod(POST)
s.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
try:
    s.query()
    print("update: accepted")
except Exception as e:  # SPARQLWrapper raises a generic error for 403
    print("update: refused", type(e).__name__)
