"""The bad-input corpus (issue 19): hostile inputs generated at test time, and their tests."""
