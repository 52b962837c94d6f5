"""The progress endpoints, a module per concern; safety_academy.api registers them on the one router."""
