SELECT COUNT(*) AS ratings_analysed
FROM {{staging}}
