-- The run's next ratings table, which the shards of a sharded load fill side by side and the commit
-- puts in place of the model: LIKE the model with everything it has (comments, defaults,
-- constraints, indexes), so the swapped-in table describes itself as the model did.
CREATE TABLE IF NOT EXISTS {{next}} (LIKE {{ratings}} INCLUDING ALL)
