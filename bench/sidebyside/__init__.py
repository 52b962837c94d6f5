"""The parts of the side-by-side ratio benchmark (bench/ratio.py): the data, the servers, the load
generators, the query counts and the report."""
