"""Time expressions: finding them, the normalising rules, dates, holidays and tense."""
