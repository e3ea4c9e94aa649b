"""The original project's approach, as a benchmark peer: PySpark jobs (local mode) that read the
Kaggle CSVs with an explicit schema and append them to warehouse staging tables over JDBC, the
way the original Spark jobs did (Spark's JDBC writer: batched INSERT statements, 1,000 rows a
batch by default), then keep a Parquet copy of each output. Written from the description of its
behaviour, not from its code:

  movies   movies_metadata.csv -> stage_movies, genres exploded from the literal -> stage_genre,
           stage_movie_genre; release dates -> stage_date (year, quarter, month, day, weekday)
  ratings  ratings.csv -> stage_rating (user_id, movie_id, rating, rated_at)
  cpi      CUSR0000SS62031.csv -> stage_cpi

It does less than our pipeline (no credits, keywords or links, no validation, no rejects, no
model upsert, no quality checks or report), so the comparison favours it.

Usage: spark-submit --driver-class-path JAR pyspark_peer.py --source DIR --jdbc-url URL --schema NAME
         --jar JAR --parquet DIR
(spark-submit makes the JVM the parent process, so its peak memory is measurable; plain `python
pyspark_peer.py …` works too).
Prints one JSON line: {"jobs": {"movies": seconds, ...}, "seconds": total}.
The database password, if any, comes from PGPASSWORD, never from the command line.
"""

import argparse
import json
import os
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
)

MOVIES_SCHEMA = StructType(
    [StructField(name, StringType()) for name in ["adult", "belongs_to_collection", "budget", "genres", "homepage"]]
    + [StructField("id", IntegerType())]
    + [
        StructField(name, StringType())
        for name in [
            "imdb_id",
            "original_language",
            "original_title",
            "overview",
            "popularity",
            "poster_path",
            "production_companies",
            "production_countries",
            "release_date",
            "revenue",
            "runtime",
            "spoken_languages",
            "status",
            "tagline",
            "title",
            "video",
            "vote_average",
            "vote_count",
        ]
    ]
)
GENRES = ArrayType(StructType([StructField("id", IntegerType()), StructField("name", StringType())]))
RATINGS_SCHEMA = StructType(
    [
        StructField("userId", IntegerType()),
        StructField("movieId", IntegerType()),
        StructField("rating", DoubleType()),
        StructField("timestamp", LongType()),
    ]
)
CPI_SCHEMA = StructType([StructField("date", StringType()), StructField("value", StringType())])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True, help="folder with the Kaggle CSVs and the FRED CSV")
    parser.add_argument("--jdbc-url", required=True, help="jdbc:postgresql://host:port/db (no password)")
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--schema", required=True, help="schema of the staging tables (created beforehand)")
    parser.add_argument("--jar", required=True, help="the PostgreSQL JDBC driver jar")
    parser.add_argument("--parquet", required=True, help="folder for the Parquet copies")
    args = parser.parse_args()

    spark = (
        SparkSession.builder.master("local[*]")
        .appName("movalytics-pyspark-peer")
        .config("spark.jars", args.jar)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # Spark 2 and 3 (the original's) turned a malformed value into NULL; Spark 4 fails instead.
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    properties = {"user": args.user, "driver": "org.postgresql.Driver"}
    if os.environ.get("PGPASSWORD"):
        properties["password"] = os.environ["PGPASSWORD"]

    def stage(frame, table: str) -> None:
        """Appends to the staging table over JDBC (as the original did), then keeps a Parquet copy."""
        frame.write.jdbc(url=args.jdbc_url, table=f"{args.schema}.{table}", mode="append", properties=properties)
        frame.write.mode("overwrite").parquet(os.path.join(args.parquet, f"{table}.parquet"))

    jobs = {}
    started = time.monotonic()

    job_started = time.monotonic()
    movies = (
        spark.read.option("header", "true")
        .option("multiLine", "true")
        .option("escape", '"')
        .csv(os.path.join(args.source, "movies_metadata.csv"), schema=MOVIES_SCHEMA)
        .where(F.col("id").isNotNull())
    )
    stage(
        movies.select(
            F.col("id").alias("movie_id"),
            "imdb_id",
            "title",
            "original_language",
            F.col("budget").cast(LongType()).alias("budget"),
            F.col("revenue").cast(DoubleType()).cast(LongType()).alias("revenue"),
            F.col("popularity").cast(DoubleType()).alias("popularity"),
            F.col("runtime").cast(DoubleType()).alias("runtime"),
            F.to_date("release_date").alias("release_date"),
            F.col("vote_average").cast(DoubleType()).alias("vote_average"),
            F.col("vote_count").cast(DoubleType()).cast(IntegerType()).alias("vote_count"),
        ),
        "stage_movies",
    )
    genres = movies.select("id", F.explode(F.from_json("genres", GENRES)).alias("genre"))
    stage(genres.select(F.col("genre.id").alias("genre_id"), F.col("genre.name").alias("name")).distinct().na.drop(), "stage_genre")
    stage(genres.select(F.col("id").alias("movie_id"), F.col("genre.id").alias("genre_id")).distinct(), "stage_movie_genre")
    dates = movies.select(F.to_date("release_date").alias("release_date")).where(F.col("release_date").isNotNull()).distinct()
    stage(
        dates.select(
            "release_date",
            F.year("release_date").alias("year"),
            F.quarter("release_date").alias("quarter"),
            F.month("release_date").alias("month"),
            F.dayofmonth("release_date").alias("day"),
            F.dayofweek("release_date").alias("day_of_week"),
        ),
        "stage_date",
    )
    jobs["movies"] = round(time.monotonic() - job_started, 2)

    job_started = time.monotonic()
    ratings = spark.read.option("header", "true").csv(os.path.join(args.source, "ratings.csv"), schema=RATINGS_SCHEMA)
    stage(
        ratings.select(
            F.col("userId").alias("user_id"),
            F.col("movieId").alias("movie_id"),
            "rating",
            F.timestamp_seconds("timestamp").alias("rated_at"),
        ),
        "stage_rating",
    )
    jobs["ratings"] = round(time.monotonic() - job_started, 2)

    job_started = time.monotonic()
    cpi = spark.read.option("header", "true").csv(os.path.join(args.source, "CUSR0000SS62031.csv"), schema=CPI_SCHEMA)
    stage(
        cpi.select(F.to_date("date").alias("month"), F.when(F.col("value") != ".", F.col("value")).cast(DoubleType()).alias("value")),
        "stage_cpi",
    )
    jobs["cpi"] = round(time.monotonic() - job_started, 2)

    spark.stop()
    print(json.dumps({"jobs": jobs, "seconds": round(time.monotonic() - started, 2)}), flush=True)


if __name__ == "__main__":
    main()
