"""What several pages share: the document page's context, the form helper, redirects."""
