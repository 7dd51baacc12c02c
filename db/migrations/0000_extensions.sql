-- Trigram indexes find close matches when an identifier is not found.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
