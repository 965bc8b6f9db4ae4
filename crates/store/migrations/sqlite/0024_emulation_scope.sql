-- Issue 17, continued: a movement's scope may name parent units (a district's
-- office, a commune): it reaches every unit under them, at any depth. Space-
-- separated unit ids; '' none. Kinds (scope) and parents narrow together.
ALTER TABLE emulation_movements ADD COLUMN scope_parents TEXT NOT NULL DEFAULT '';
