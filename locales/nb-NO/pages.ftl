# Sidetekst for veiledninger og nettstedet (remedy guide, remedy site).

page-language = Språk
page-home = Alle artikler
page-english-original = Engelsk original
page-machine-translated = Denne teksten er maskinoversatt.
page-other-locale = Denne delen vises på { $language }: den finnes ikke på språket du ba om.
page-english-changed = Den engelske originalen er endret etter at teksten ble oversatt; den kan være utdatert.
page-generated = Laget av remedy { $version }
page-skip = Gå til innholdet
page-translations = Også på:

site-home-title = Feilsøkingsartikler
site-filter = Filtrer etter tittel
site-articles = { $count ->
    [one] { $shown } artikkel
   *[other] { $shown } artikler
}
site-guides = Feilsøkingsveiledninger
site-languages-title = Velg språk
site-article-source = Kilde: { $path }

guide-title = Feilsøkingsveiledning
guide-source = Funnet av { $tool } { $time }.
guide-source-tool = Funnet av { $tool }.
guide-summary = Sammendrag
guide-finding = Funn
guide-severity = Alvorlighet
guide-count = Antall
guide-affected = Berørt:
guide-and-more = og { $shown } til
guide-steps = Slik løser du det
guide-no-steps = Kunnskapsbasen har ennå ingen fremgangsmåte for dette funnet.
guide-from = Fra «{ $title }»
guide-locale = { $language }
guide-flag-mt = maskinoversatt
guide-flag-english-changed = den engelske teksten er endret siden
guide-unknown = { $count ->
    [one] { $shown } funn som remedy ikke kjenner:
   *[other] { $shown } funn som remedy ikke kjenner:
}
guide-not-applicable = { $count ->
    [one] { $shown } funn trengte ingen retting (verdiene var innenfor grensene).
   *[other] { $shown } funn trengte ingen retting (verdiene var innenfor grensene).
}
guide-nothing = Ingenting å rette: inndataene hadde ingen funn som remedy kjenner.
guide-occurrences = { $count ->
    [one] funnet én gang
   *[other] funnet { $shown } ganger
}

severity-error = Feil
severity-warning = Advarsel
severity-note = Merknad

search-label = Søk i artiklene
search-placeholder = Beskriv problemet
search-button = Søk
search-title = Søk: «{ $query }»
search-empty-title = Søk
search-results = { $count ->
    [one] Én artikkel passer.
   *[other] De { $shown } artiklene som passer best.
}
search-none = Ingen artikler passer til «{ $query }». Prøv andre eller færre ord.
search-fallback = på { $language }
search-error-empty = Skriv hva som er galt, for eksempel «passordsynkronisering virker ikke».
search-error-long = Søket er for langt: høyst { $shown } tegn.

findings-link = Lim inn funn
findings-title = Fra funn til veiledning
findings-help = Lim inn det et verktøy fant (JSON-linjer, en JSON-matrise eller en SARIF-logg): du får en feilsøkingsveiledning på ditt språk.
findings-label = Funn
findings-submit = Lag veiledningen
findings-error-empty = Lim inn minst ett funn.
findings-error-unread = Disse funnene kunne ikke leses: { $why }

error-title = Noe gikk galt
error-not-found = Det finnes ingen side på denne adressen.
error-request = Forespørsels-ID:

check-title = Oversettelseskontroll
check-summary = { $articles } artikler på { $locales } språk: { $errors } feil, { $warnings } advarsler, { $notes } merknader.
check-coverage = Dekning per språk
check-locale = Språk
check-articles = Artikler
check-coverage-share = Av alle artikler
check-mt-share = Maskinoversatt
check-drift-share = Segmenter fra annen engelsk tekst
check-failures = Vanligste funn
check-drift = Avvik i engelsk kildetekst per artikkel
check-drift-none = Ingen artikkel er oversatt fra engelsk tekst som et annet språk har i en annen versjon.
check-findings = Funn
check-none = Ingenting funnet.
check-more = { $shown } funn til er ikke listet her; --format json viser alle.
check-place = Sted
check-check = Kontroll
check-message = Funn
