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

search-label = Search the articles
search-placeholder = Describe the problem
search-button = Search
search-title = Search: “{ $query }”
search-empty-title = Search
search-results = { $count ->
    [one] One article matches.
   *[other] The { $shown } articles that match best.
}
search-none = No article matches “{ $query }”. Try other words, or fewer.
search-fallback = in { $language }
search-error-empty = Type what is wrong, for example “password sync does not work”.
search-error-long = The query is too long: at most { $shown } characters.

findings-link = Paste findings
findings-title = Findings to a guide
findings-help = Paste what a tool found (JSON lines, a JSON array or a SARIF log): you get a troubleshooting guide in your language.
findings-label = Findings
findings-submit = Make the guide
findings-error-empty = Paste at least one finding.
findings-error-unread = These findings could not be read: { $why }

error-title = Something went wrong
error-not-found = There is no page at this address.
error-request = Request id:

check-title = Translation check
check-summary = { $articles } articles in { $locales } locales: { $errors } errors, { $warnings } warnings, { $notes } notes.
check-coverage = Coverage per locale
check-locale = Locale
check-articles = Articles
check-coverage-share = Of all articles
check-mt-share = Machine translated
check-drift-share = Segments from other English
check-failures = Most frequent findings
check-drift = English drift per article
check-drift-none = No article was translated from English that another locale has differently.
check-findings = Findings
check-none = Nothing found.
check-more = { $shown } more findings are not listed here; --format json lists them all.
check-place = Place
check-check = Check
check-message = Finding
