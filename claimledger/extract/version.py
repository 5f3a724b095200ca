"""The extraction stage's version, light to import: stores and runners compare it without
loading the models."""

# v2: each document's event signature (who, what, when); agencies credited for its copy
# v3: the event day from the sentence that states the act; a URL filed by month gives a year
# v4: Chinese names that jieba cuts into a surname and a word, or into two halves, are joined
# v5: event types for elections, court rulings and disasters ("elected", "ruled", "disaster"); "dies" is a death
# v6: an undated report whose act sentence names only a day of the week keeps it (XXXX-WXX-7);
#     a person CC-CEDICT glosses "aka" an English name takes that name's key (马云: jack ma);
#     开除…党籍 with the man named between the words is an expulsion
STAGE_VERSION = "claimledger.extract.v6"
