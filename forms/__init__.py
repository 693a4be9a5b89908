"""The official forms: input schemas that normalise and validate what people type, and
the Word documents (様式) built from a grant."""
