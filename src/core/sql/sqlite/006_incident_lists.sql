-- The console lists incidents of one state newest first (GET /api/incidents?state=S):
-- (state, id) walks them in id order instead of sorting every incident in that state.
CREATE INDEX incidents_by_state_id ON incidents(state, id);
