"""Small factory functions per aggregate (valid codes, subjects, organisations, the API)."""
