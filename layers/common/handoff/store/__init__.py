"""Data access plumbing shared by the repositories: the table binding, connections and write errors."""
