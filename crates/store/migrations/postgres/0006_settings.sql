-- The audit log's page: a site's administrators read their site's entries, newest
-- first, filtered by person and by day.
CREATE INDEX audit_log_site_at ON audit_log (site_id, at DESC);
CREATE INDEX audit_log_user_at ON audit_log (user_id, at DESC);
