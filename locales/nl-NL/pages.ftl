# Paginateksten van handleidingen en de site (remedy guide, remedy site).

page-language = Taal
page-home = Alle artikelen
page-english-original = Engelse brontekst
page-machine-translated = Deze tekst is automatisch vertaald.
page-other-locale = Dit deel staat in het { $language }: het bestaat niet in de taal die u vroeg.
page-english-changed = De Engelse brontekst is gewijzigd nadat deze tekst werd vertaald; de tekst kan verouderd zijn.
page-generated = Gemaakt door remedy { $version }
page-skip = Naar de inhoud
page-translations = Ook in:

site-home-title = Artikelen voor probleemoplossing
site-filter = Filteren op titel
site-articles = { $count ->
    [one] { $shown } artikel
   *[other] { $shown } artikelen
}
site-guides = Handleidingen voor probleemoplossing
site-languages-title = Kies een taal
site-article-source = Bron: { $path }

guide-title = Handleiding voor probleemoplossing
guide-source = Gevonden door { $tool } op { $time }.
guide-source-tool = Gevonden door { $tool }.
guide-summary = Overzicht
guide-finding = Bevinding
guide-severity = Ernst
guide-count = Aantal
guide-affected = Betreft:
guide-and-more = en nog { $shown }
guide-steps = Zo lost u het op
guide-no-steps = De kennisbank heeft nog geen stappen voor deze bevinding.
guide-from = Uit ‘{ $title }’
guide-locale = { $language }
guide-flag-mt = automatisch vertaald
guide-flag-english-changed = het Engels is sindsdien gewijzigd
guide-unknown = { $count ->
    [one] { $shown } bevinding die remedy niet kent:
   *[other] { $shown } bevindingen die remedy niet kent:
}
guide-not-applicable = { $count ->
    [one] { $shown } bevinding hoefde niet opgelost te worden (de waarden lagen binnen de grenzen).
   *[other] { $shown } bevindingen hoefden niet opgelost te worden (de waarden lagen binnen de grenzen).
}
guide-nothing = Niets op te lossen: de invoer bevatte geen bevindingen die remedy kent.
guide-occurrences = { $count ->
    [one] één keer gevonden
   *[other] { $shown } keer gevonden
}

severity-error = Fout
severity-warning = Waarschuwing
severity-note = Opmerking

search-label = Zoeken in de artikelen
search-placeholder = Beschrijf het probleem
search-button = Zoeken
search-title = Zoeken: ‘{ $query }’
search-empty-title = Zoeken
search-results = { $count ->
    [one] Eén artikel past.
   *[other] De { $shown } artikelen die het best passen.
}
search-none = Geen artikel past bij ‘{ $query }’. Probeer andere of minder woorden.
search-fallback = in het { $language }
search-error-empty = Typ wat er mis is, bijvoorbeeld ‘wachtwoordsynchronisatie werkt niet’.
search-error-long = De zoekopdracht is te lang: hoogstens { $shown } tekens.

findings-link = Bevindingen plakken
findings-title = Van bevindingen naar een handleiding
findings-help = Plak wat een hulpprogramma vond (JSON-regels, een JSON-array of een SARIF-logboek): u krijgt een handleiding voor probleemoplossing in uw taal.
findings-label = Bevindingen
findings-submit = Handleiding maken
findings-error-empty = Plak ten minste één bevinding.
findings-error-unread = Deze bevindingen konden niet worden gelezen: { $why }

error-title = Er ging iets mis
error-not-found = Op dit adres staat geen pagina.
error-request = Aanvraag-ID:

check-title = Vertaalcontrole
check-summary = { $articles } artikelen in { $locales } talen: { $errors } fouten, { $warnings } waarschuwingen, { $notes } opmerkingen.
check-coverage = Dekking per taal
check-locale = Taal
check-articles = Artikelen
check-coverage-share = Van alle artikelen
check-mt-share = Machinaal vertaald
check-drift-share = Segmenten uit andere Engelse tekst
check-failures = Meest voorkomende bevindingen
check-drift = Afwijkende Engelse brontekst per artikel
check-drift-none = Geen artikel is vertaald uit Engelse tekst die een andere taal anders heeft.
check-findings = Bevindingen
check-none = Niets gevonden.
check-more = Nog { $shown } bevindingen staan hier niet; --format json toont ze allemaal.
check-place = Plaats
check-check = Controle
check-message = Bevinding
