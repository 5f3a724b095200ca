"""claimledger: a ledger of the claims in news reports and the chains they came through."""

__version__ = "0.1.0"
