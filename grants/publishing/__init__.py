"""What leaves the system for others to read: the grant ledger that auditors export, and
(later) the published results as pages, open data and a static site (SPEC §8)."""
