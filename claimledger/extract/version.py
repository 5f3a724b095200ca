"""The extraction stage's version, light to import: stores and runners compare it without
loading the models."""

# v2: each document's event signature (who, what, when); agencies credited for its copy
# v3: the event day from the sentence that states the act; a URL filed by month gives a year
STAGE_VERSION = "claimledger.extract.v3"
