"""Stage 1, inputs: the model file, the schema of every input table, the tables themselves
and the geography they are checked against."""
