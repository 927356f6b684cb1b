"""Running a build: the process pool, the figure cache, and the manifest a build leaves behind."""
