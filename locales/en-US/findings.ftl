# Findings: what diagnostic tools report, as remedy tells it. Each message is the title;
# `.description` says what it means for the admin. Variables: $days (a number, or
# "unknown" when the finding does not say), $stale_days (the threshold in content/findings.yaml).

finding-phs-disabled = Password hash synchronization is disabled
    .description = Azure AD Connect is not synchronizing password hashes, so users cannot sign in to Microsoft 365 with their on-premises password.

finding-phs-stale = { $days ->
        [unknown] Passwords have not been synchronized recently (when last is unknown)
        [one] Passwords were last synchronized one day ago
       *[other] Passwords were last synchronized { $days } days ago
    }
    .description = Password hash synchronization has not completed for more than { $stale_days ->
        [one] one day
       *[other] { $stale_days } days
    }. Changed passwords are not reaching the cloud.

finding-dirsync-no-recent-sync = { $days ->
        [unknown] No recent directory synchronization (how long is unknown)
        [one] No directory synchronization for one day
       *[other] No directory synchronization for { $days } days
    }
    .description = The directory has not been synchronized for more than { $stale_days ->
        [one] one day
       *[other] { $stale_days } days
    }. New users, changes and deletions in Active Directory are not reaching Microsoft 365.

finding-connector-missing-replication-permissions = The connector account lacks replication permissions
    .description = The Active Directory account Azure AD Connect uses needs the Replicate Directory Changes and Replicate Directory Changes All permissions to read password hashes.

finding-signin-method-changed = The sign-in method is no longer password hash synchronization
    .description = An administrator changed the user sign-in method (for example to federation with AD FS), which turned password hash synchronization off.

finding-ad-unreachable = Active Directory cannot be reached
    .description = Azure AD Connect cannot reach the domain controllers, or the ports it needs are blocked by a firewall.

finding-server-staging-mode = The Azure AD Connect server is in staging mode
    .description = A server in staging mode does not export anything, so no password hashes are synchronized from it.

finding-user-must-change-password = The user must change the password at next sign-in
    .description = The user has a temporary password. Azure AD Connect does not synchronize temporary passwords until the user changes it.

finding-user-not-in-sync-scope = The user object is not configured for synchronization
    .description = The on-premises user object is outside the synchronization scope, so neither the object nor its password reaches Azure AD.

# A finding remedy does not know, as a SARIF rule: $code is the tool's own code.
finding-unknown = { $code }
    .description = Reported by the tool as { $code }. remedy has no advice for this finding.
