-- First statement of a load's transaction: concurrent loads of the same table (different run ids)
-- take turns instead of interleaving their DELETE and INSERT.
LOCK TABLE {{model}}
