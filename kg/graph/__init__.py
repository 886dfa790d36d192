"""The one RDF mapping: papers, facts and entities → triples, and triples → N-Triples.

- :mod:`kg.graph.iris`: namespaces, prefixes, the IRI of each node (from content only);
- :mod:`kg.graph.terms`: the light terms the mapping yields (an IRI a ``str``, a literal a
  ``(lexical, datatype)`` pair) and their rdflib view;
- :mod:`kg.graph.mapping`: the triples of each thing, produced once (the graph contract);
- :mod:`kg.graph.ntriples`: the N-Triples writer of those triples (the bulk path).

The in-memory graph (:func:`kg.graph.mapping.build_graph`) and a store build's N-Triples read the
same generators, so both hold the same graph.
"""
