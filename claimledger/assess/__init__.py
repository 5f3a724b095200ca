"""Assess: provenance of each claim group, independent origins, grades, status over time."""

from claimledger.assess.grading import Assessment, assess_group
from claimledger.assess.provenance import Origin, Retelling, origins_of, provenance_graph

__all__ = ["Assessment", "Origin", "Retelling", "assess_group", "origins_of", "provenance_graph"]
