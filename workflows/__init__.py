"""The state-machine core: the transition table, its guards, the one function that applies
an action, the audit trail, and the diagram generated from the table."""
