"""The build pipeline: the project on disk, sources kept in step with case files, lint,
the pre-flight, the build and its report, and the commands around them."""
