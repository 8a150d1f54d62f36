"""bin/bench: what a decision transition and the e-mail link pages cost (see README)."""
