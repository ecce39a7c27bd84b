# The organisers' second factor (issue 18): codes from an authenticator app, recovery codes.

second-factor-link = Two-factor authentication
second-factor-heading = Two-factor authentication
second-factor-back = Back to your account
second-factor-intro = With two-factor authentication on, logging in needs your password and a six-digit code from an authenticator app on your phone (such as Aegis, FreeOTP or Google Authenticator). It protects the signers’ data if your password is ever guessed or stolen.
second-factor-step-scan = Scan this QR code with your authenticator app.
second-factor-step-type = Or type this key into the app:
second-factor-step-code = Type the six-digit code the app now shows.
second-factor-qr-label = QR code to add this account to an authenticator app
second-factor-enrol-code = Code from the app
second-factor-on-button = Switch two-factor authentication on
second-factor-required = This site requires two-factor authentication of everyone who may see signers’ personal data. Switch it on to go on.
second-factor-on = Two-factor authentication is on for your account.
# $count: recovery codes not used yet.
second-factor-codes-left = { $count ->
    [0] You have no recovery codes left: make new ones.
    [one] You have one recovery code left.
   *[other] You have { $count } recovery codes left.
}
second-factor-renew-heading = New recovery codes
second-factor-renew-button = Make ten new recovery codes
second-factor-off-heading = Switch it off
second-factor-off-button = Switch two-factor authentication off
second-factor-code = Code
second-factor-code-hint = The six-digit code from your authenticator app, or one of your recovery codes.
second-factor-code-intro = Open your authenticator app and type the code it shows for this site.
second-factor-code-button = Go on
login-code-heading = Two-factor authentication
second-factor-confirm-heading = Confirm it is you
second-factor-error-code = That code is not right. Type the code your app shows now, or a recovery code.
second-factor-error-replayed = That code was used already. Wait for the app to show the next one.
# $minutes: how many minutes until codes are accepted again; $time: when (hours and minutes, UTC).
second-factor-locked = Too many wrong codes. Two-factor authentication for this account is locked for { $minutes } minutes: try again after { $time }.
recovery-codes-heading = Your recovery codes
recovery-codes-intro = If you lose your phone, each of these codes lets you in once instead of a code from the app. Keep them somewhere safe: this is the only time they are shown.
recovery-codes-done = I have kept them
site-settings-second-factor = Require two-factor authentication of everyone who may see personal data
site-settings-second-factor-hint = Admins and campaign owners (who may export signers’ addresses) without it are asked to switch it on before they can use the organisers’ pages.
