"""Materials kitting (物料齐套, DESIGN §5): requirement vs availability per work order."""
