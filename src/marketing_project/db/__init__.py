"""Connection pools the app owns, and the schema migrations."""
