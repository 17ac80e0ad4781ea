"""The lake: platforms' high-volume data (orders, reviews, traffic, prices, shipments) as Parquet
partitions under an fsspec root, validated row by row on upload, registered batch by batch."""
