# Page chrome of guides and the site (remedy guide, remedy site). Counts arrive twice:
# $count (a number, for the plural) and $shown (the same number written the reader's way).

page-language = Language
page-home = All articles
page-english-original = English original
page-machine-translated = This text is machine translated.
page-other-locale = This part is shown in { $language }: it does not exist in the language you asked for.
page-english-changed = The English original changed after this text was translated; it may be out of date.
page-generated = Made by remedy { $version }
page-skip = Skip to the content
page-translations = Also in:

site-home-title = Troubleshooting articles
site-filter = Filter by title
site-articles = { $count ->
    [one] { $shown } article
   *[other] { $shown } articles
}
site-guides = Troubleshooting guides
site-languages-title = Choose a language
site-article-source = Source: { $path }

guide-title = Troubleshooting guide
guide-source = Found by { $tool } on { $time }.
guide-source-tool = Found by { $tool }.
guide-summary = Summary
guide-finding = Finding
guide-severity = Severity
guide-count = How many
guide-affected = Affected:
guide-and-more = and { $shown } more
guide-steps = How to fix it
guide-no-steps = The knowledge base has no steps for this finding yet.
guide-from = From “{ $title }”
guide-locale = { $language }
guide-flag-mt = machine translated
guide-flag-english-changed = the English changed since
guide-unknown = { $count ->
    [one] { $shown } finding remedy does not know:
   *[other] { $shown } findings remedy does not know:
}
guide-not-applicable = { $count ->
    [one] { $shown } finding did not need fixing (its values were within limits).
   *[other] { $shown } findings did not need fixing (their values were within limits).
}
guide-nothing = Nothing to fix: the input held no findings remedy knows.
guide-occurrences = { $count ->
    [one] found once
   *[other] found { $shown } times
}

severity-error = Error
severity-warning = Warning
severity-note = Note
