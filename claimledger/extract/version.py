"""The extraction stage's version, light to import: stores and runners compare it without
loading the models."""

# v2: each document's event signature (who, what, when); agencies credited for its copy
STAGE_VERSION = "claimledger.extract.v2"
