"""What is stored (content items) and how it is queried (repositories)."""
