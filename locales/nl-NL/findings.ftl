# Bevindingen: wat diagnoseprogramma's melden, zoals remedy het zegt. Het bericht is de
# titel; `.description` legt uit wat het voor de beheerder betekent. Variabelen: $days (een getal,
# of "unknown"), $stale_days (de drempel uit content/findings.yaml).

finding-phs-disabled = Wachtwoord-hashsynchronisatie is uitgeschakeld
    .description = Azure AD Connect synchroniseert geen wachtwoord-hashes, dus gebruikers kunnen zich niet met hun on-premises wachtwoord aanmelden bij Microsoft 365.

finding-phs-stale = { $days ->
        [unknown] Wachtwoorden zijn de laatste tijd niet gesynchroniseerd (onbekend wanneer voor het laatst)
        [one] Wachtwoorden zijn één dag geleden voor het laatst gesynchroniseerd
       *[other] Wachtwoorden zijn { $days } dagen geleden voor het laatst gesynchroniseerd
    }
    .description = De wachtwoord-hashsynchronisatie is al meer dan { $stale_days ->
        [one] één dag
       *[other] { $stale_days } dagen
    } niet voltooid. Gewijzigde wachtwoorden komen niet in de cloud aan.

finding-dirsync-no-recent-sync = { $days ->
        [unknown] De laatste tijd geen adreslijstsynchronisatie (onbekend hoe lang)
        [one] Al één dag geen adreslijstsynchronisatie
       *[other] Al { $days } dagen geen adreslijstsynchronisatie
    }
    .description = De adreslijst is al meer dan { $stale_days ->
        [one] één dag
       *[other] { $stale_days } dagen
    } niet gesynchroniseerd. Nieuwe gebruikers, wijzigingen en verwijderingen in Active Directory komen niet aan in Microsoft 365.

finding-connector-missing-replication-permissions = Het connectoraccount mist replicatiemachtigingen
    .description = Het Active Directory-account dat Azure AD Connect gebruikt, heeft de machtigingen Replicate Directory Changes en Replicate Directory Changes All nodig om wachtwoord-hashes te lezen.

finding-signin-method-changed = De aanmeldingsmethode is niet langer wachtwoord-hashsynchronisatie
    .description = Een beheerder heeft de aanmeldingsmethode voor gebruikers gewijzigd (bijvoorbeeld in federatie met AD FS), waardoor de wachtwoord-hashsynchronisatie is uitgeschakeld.

finding-ad-unreachable = Active Directory is niet bereikbaar
    .description = Azure AD Connect kan de domeincontrollers niet bereiken, of de poorten die het nodig heeft, worden door een firewall geblokkeerd.

finding-server-staging-mode = De Azure AD Connect-server staat in de faseringsmodus
    .description = Een server in de faseringsmodus exporteert niets, dus er worden geen wachtwoord-hashes vanaf gesynchroniseerd.

finding-user-must-change-password = De gebruiker moet het wachtwoord bij de volgende aanmelding wijzigen
    .description = De gebruiker heeft een tijdelijk wachtwoord. Azure AD Connect synchroniseert tijdelijke wachtwoorden pas nadat de gebruiker het heeft gewijzigd.

finding-user-not-in-sync-scope = Het gebruikersobject is niet geconfigureerd voor synchronisatie
    .description = Het on-premises gebruikersobject valt buiten het synchronisatiebereik, dus het object en het wachtwoord komen niet in Azure AD aan.

# Een bevinding die remedy niet kent, als SARIF-regel: $code is de eigen code van het programma.
finding-unknown = { $code }
    .description = Door het programma gemeld als { $code }. remedy heeft geen advies voor deze bevinding.
