"""Living Roadmap: a roadmap kept as schema-validated YAML, published as a static site."""
