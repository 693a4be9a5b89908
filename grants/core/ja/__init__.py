"""Every Japanese word the users read, in one place, by audience:

- ``labels``: the domain's names (states, actions, roles, categories, fields) and yen;
- ``messages``: refusals and errors, for the API and the pages alike;
- ``pages``: the pages people work in;
- ``documents``: the official forms (様式);
- ``notices``: the inbox and e-mail;
- ``site``: the public site and its open data;
- ``ledger``: the grant ledger's columns;
- ``commands``: the ``grants`` command line.

Identifiers stay English in code, API and audit trail; these modules turn them into the
words staff (事務局), applicants (申請者), auditors and the public read."""
