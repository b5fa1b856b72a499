# Funn: det diagnoseverktøy rapporterer, slik remedy sier det. Meldingen er tittelen;
# `.description` forklarer hva det betyr for administratoren. Variabler: $days (et tall,
# eller "unknown"), $stale_days (terskelen i content/findings.yaml).

finding-phs-disabled = Synkronisering av passord-hash er slått av
    .description = Azure AD Connect synkroniserer ikke passord-hasher, så brukerne kan ikke logge på Microsoft 365 med det lokale passordet sitt.

finding-phs-stale = { $days ->
        [unknown] Passordene er ikke synkronisert nylig (ukjent når sist)
        [one] Passordene ble sist synkronisert for én dag siden
       *[other] Passordene ble sist synkronisert for { $days } dager siden
    }
    .description = Synkroniseringen av passord-hasher har ikke fullført på mer enn { $stale_days ->
        [one] én dag
       *[other] { $stale_days } dager
    }. Endrede passord kommer ikke frem til skyen.

finding-dirsync-no-recent-sync = { $days ->
        [unknown] Ingen katalogsynkronisering nylig (ukjent hvor lenge)
        [one] Ingen katalogsynkronisering på én dag
       *[other] Ingen katalogsynkronisering på { $days } dager
    }
    .description = Katalogen er ikke synkronisert på mer enn { $stale_days ->
        [one] én dag
       *[other] { $stale_days } dager
    }. Nye brukere, endringer og slettinger i Active Directory kommer ikke frem til Microsoft 365.

finding-connector-missing-replication-permissions = Koblingskontoen mangler replikeringstillatelser
    .description = Active Directory-kontoen som Azure AD Connect bruker, trenger tillatelsene Replicate Directory Changes og Replicate Directory Changes All for å lese passord-hasher.

finding-signin-method-changed = Påloggingsmetoden er ikke lenger synkronisering av passord-hash
    .description = En administrator har endret påloggingsmetoden for brukerne (for eksempel til føderasjon med AD FS), og dermed ble synkroniseringen av passord-hasher slått av.

finding-ad-unreachable = Active Directory kan ikke nås
    .description = Azure AD Connect får ikke kontakt med domenekontrollerne, eller portene den trenger, er blokkert av en brannmur.

finding-server-staging-mode = Azure AD Connect-serveren er i oppsamlingsmodus
    .description = En server i oppsamlingsmodus eksporterer ingenting, så ingen passord-hasher synkroniseres fra den.

finding-user-must-change-password = Brukeren må endre passordet ved neste pålogging
    .description = Brukeren har et midlertidig passord. Azure AD Connect synkroniserer ikke midlertidige passord før brukeren har endret det.

finding-user-not-in-sync-scope = Brukerobjektet er ikke konfigurert for synkronisering
    .description = Det lokale brukerobjektet er utenfor synkroniseringsomfanget, så verken objektet eller passordet kommer frem til Azure AD.

# Et funn remedy ikke kjenner, som SARIF-regel: $code er verktøyets egen kode.
finding-unknown = { $code }
    .description = Rapportert av verktøyet som { $code }. remedy har ingen råd for dette funnet.
