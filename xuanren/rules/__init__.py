"""Selection rules as data (选任规则): pure Python, no Django, no clock, no database."""
