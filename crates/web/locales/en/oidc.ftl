# Signing in with an OpenID Connect provider (issue 18). $provider: the provider's name, as the
# operator configured it.

oidc-login-heading = Or log in with
oidc-login-with = Log in with { $provider }
oidc-back = Back
oidc-refused-heading = Sign-in refused
oidc-refused-text = The answer from the sign-in provider could not be accepted: it was used already, came too late, was not meant for this site, or did not come from this browser. Please start again.
oidc-cancelled-text = The sign-in was cancelled or refused at the provider.
oidc-unavailable-heading = Sign-in provider unreachable
oidc-unavailable-text = { $provider } could not be reached. Please try again later.
oidc-not-allowed-text = No account here is linked to this { $provider } identity, and { $provider } may not open new accounts for it. Log in with your password and link { $provider } on your account page, or ask an administrator.
oidc-exists-text = An account with this address exists already. Log in with its password, then link { $provider } on your account page.
oidc-linked-elsewhere-text = This { $provider } identity is linked to another account already.
oidc-wrong-account-text = You are not logged in as the account that started linking { $provider }. Log in and start again.
oidc-account-link-page = Sign-in providers
oidc-account-heading = Sign-in providers
oidc-account-intro = Link your identity at a sign-in provider to this account, then log in with it. If two-factor authentication is on, its code is still asked.
# $date: when it was linked.
oidc-account-linked = linked since { $date }.
oidc-account-not-linked = not linked.
oidc-account-link = Link { $provider }
oidc-account-unlink = Unlink { $provider }
oidc-account-none = No sign-in provider is configured on this site.
oidc-comment-heading = Or sign in instead of confirming your address by mail
oidc-comment-note = Your comment then shows the name you type here, never your address or name at the provider.
oidc-comment-with = Sign in with { $provider }
oidc-comment-signed-in = You are signed in with { $provider }: no mail is needed to confirm your comment. It shows the name you type here, never your address.
oidc-comment-sign-out = Sign out of { $provider }
