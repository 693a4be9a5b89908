"""Plug-in on the workflow's hooks: the official forms (様式第1号〜第9号) as Word documents,
issued inside the action that calls for them, previewed and verified."""
