-- A first load, under the load's table lock, of a model found empty: TRUNCATE it in this
-- transaction so that the COPY that follows may write its rows frozen (COPY ... FREEZE). It removes
-- nothing, and a rollback brings the table back as it was.
TRUNCATE {{ratings}}
