-- Before the streamed ratings transaction records its counts: load_stats, which every load writes.
LOCK TABLE {{load_stats}}
