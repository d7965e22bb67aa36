"""Reading input files and the shared pydantic models every plan type builds on."""
