# myaccount: English
app-title = My Account
sandbox-tag = Sandbox
too-small = Make the window larger: at least { $w }×{ $h } characters are needed.
header-signed-in-as = Signed in as { $name }
yes = Yes
no = No
unknown = Unknown
loading = Loading…
load-failed = This page could not be loaded.
load-retry = Press r to try again.

## Sign-in screen
signin-title = Sign in
signin-intro = Sign in with your work or school account.
signin-username = Email, phone or username
signin-password = Password
signin-pending = Signing in…
signin-enter-username = Enter your account name first.
signin-enter-password = Enter your password.
signin-sandbox = This is a sandbox tenant: no real account is touched.
signin-demo-account = Demo account:
signin-demo-password = Password:
notice-password-changed = Your password has been changed. Sign in with your new password.
notice-signed-out = You have signed out.
notice-session-expired = Your session has ended. Sign in again.

notice-idle-signed-out = You were signed out because nobody used the screen for a while.
idle-title = Still there?
idle-warning = You will be signed out in { $seconds } seconds. Press any key to stay signed in.

## Navigation
nav-title = My Account
page-password = Password
page-security-info = Security info
page-devices = Devices
page-organizations = Organizations
page-sign-ins = Sign-ins
page-privacy = Privacy

## Hints
hint-next-field = next field
hint-next = next
hint-sign-in = sign in
hint-help = help
hint-quit = quit
hint-choose-page = choose page
hint-open = open
hint-sign-out = sign out
hint-submit = submit
hint-show-hide = show/hide
hint-back = menu
hint-move = move
hint-details = details
hint-reload = reload
hint-close = close

## Help
help-title = Keys
help-fields = Move between fields
help-enter-signin = Next field; sign in from the password field
help-clear-field = Clear the field
help-help = Show or hide this help
help-quit = Quit
help-quit-q = Quit (outside text fields)
help-nav = Choose a page in the menu
help-into-page = Go into the page
help-back = Back to the menu (or close details)
help-enter-form = Next field; submit from the last field
help-show-hide = Show or hide typed passwords
help-scroll = Scroll lists
help-details = Details of the selected row
help-reload = Load the page again
help-sign-out = Sign out
help-close = Press Esc to close.

## Password page
pw-intro = Change your password. You will be signed out afterwards.
pw-current = Current password
pw-new = New password
pw-confirm = Confirm new password
pw-submit = Change password
pw-changing = Changing your password…
pw-shown = Passwords visible (Ctrl-R hides)
pw-hidden = Ctrl-R shows passwords
pw-strength = Strength:
pw-rules = Your new password needs:
rule-length = { $min } to { $max } characters
rule-classes = { $n } of: upper case, lower case, digits, symbols
rule-different = to differ from your current password
rule-match = to match its confirmation
strength-empty = not entered
strength-weak = weak
strength-fair = fair
strength-good = good
strength-strong = strong
issue-current-empty = Enter your current password.
issue-too-short = The new password is too short: use at least { $min } characters.
issue-too-long = The new password is too long: use at most { $max } characters.
issue-classes = Use at least { $n } kinds of characters: upper case, lower case, digits, symbols.
issue-same = The new password must differ from your current password.
issue-mismatch = The passwords don't match. Type the new password again in both fields.
issue-whitespace = The new password can't start or end with a space.

## Errors
err-invalid-credentials = Your account or password is incorrect. Check both and try again.
err-locked = Your account is locked after too many failed sign-ins. The service doesn't say for how long: wait a while and try again.
err-locked-for = Your account is temporarily locked after too many failed sign-ins. Try again in { $seconds } seconds.
err-disabled = Your account has been disabled. Contact your administrator.
err-password-expired = Your password has expired and must be changed before you can sign in.
err-mfa-required = Your organization requires multi-factor authentication for this sign-in, which a password alone can't do.
err-mfa-register = Your organization requires you to set up multi-factor authentication before you sign in. A password alone can't do that; signing in in a browser walks you through setting up a method.
err-consent-required = This app has not been approved for your organization yet. Ask your administrator to grant consent.
err-personal-account = This looks like a personal Microsoft account. This tool works with work or school accounts only.
err-wrong-current = Your current password is incorrect. Type it again.
err-too-weak = The new password doesn't meet your organization's password rules.
err-service-said = The service said: "{ $text }"
err-banned = The new password contains a word, phrase or pattern that makes it easy to guess. Choose a different password.
err-recently-used = You have used this password recently, and recent passwords can't be used again. Choose one you haven't used lately.
err-contains-name = The new password can't contain your name or account name.
err-permission = Your organization hasn't granted this app the "{ $permission }" permission, so this page can't be shown.
err-not-licensed = Your organization's subscription doesn't include this information (Microsoft Entra ID P1 or P2 is needed).
err-session-expired = Your session has ended. Sign in again.
err-throttled = The service is busy. Wait a moment and try again.
err-throttled-for = The service is busy. Try again in { $seconds } seconds.
err-timeout = The service didn't answer in time. Check your connection and try again.
err-network = Couldn't reach the service: { $detail }
err-tls = The secure connection failed: { $detail }
err-outcome-unknown = The connection was lost after your request was sent, so it is unknown whether your password was changed. Try signing in with the new password to find out.
err-protocol = The service sent an answer this app doesn't understand: { $detail }
err-service = The service refused the request ({ $code }, HTTP { $status }): { $message }
err-trace-id = Trace ID: { $id }.
err-correlation-id = Correlation ID: { $id }.
err-not-supported = This isn't supported for your account.
err-device-code-expired = The code expired before sign-in finished. Ask for a new code.
err-device-code-declined = Sign-in was declined on the other device.
err-cannot-remove-method = This method can't be removed: it is your last sign-in method or your default one. Add or choose another first.
err-password-not-removable = Your password can't be removed: you sign in with it. To change it, open the Password page.
err-default-not-removable = This is your default sign-in method, so it can't be removed. Make another method the default first.
err-last-not-removable = This is your only sign-in method besides your password, so it can't be removed. Add another method first in the web portal: { $url }
err-cannot-be-default = This method can't be your default sign-in method. The default can be the Authenticator app, a code from an authenticator app or token, or a phone (text or call).
err-method-not-removable-here = This tool can't remove this kind of sign-in method. You can remove it in the web portal: { $url }
err-too-young = Your password was changed too recently to change it again. Try again later.
err-change-not-allowed = Your directory doesn't let you change your own password. Contact your administrator.
err-must-supply-old = Your directory requires your current password to change it.
err-must-change = Your password was reset and must be changed before you can sign in.

## Security info
security-default = Default sign-in method: { $method }
security-default-unknown = Default sign-in method: not reported by your organization.
security-is-default = Default
col-method = Method
col-detail = Detail
col-default = Default
method-password = Password
method-password-changed = Last changed { $date }
method-phone = Phone
method-email = Email
method-authenticator = Authenticator app
method-fido2 = Security key
method-hello = Windows Hello
method-oath = Authenticator code app
method-tap = Temporary access pass
method-platform = Platform credential
method-other = Other method
phone-mobile = mobile
phone-alternate = alternate mobile
phone-office = office

## Devices
devices-none = No devices are registered to your account.
col-device = Device
col-os = OS
col-last-activity = Last active
col-managed = Managed
col-compliant = Compliant
device-detail = Join type: { $trust } · Registered: { $registered }
trust-joined = Microsoft Entra joined
trust-hybrid = Hybrid joined
trust-registered = Registered (personal device)

## Organizations
col-organization = Organization
col-relation = Relation
col-domain = Domain
org-home = Home
org-guest = Guest
org-tenant-id = Tenant ID
org-home-explain = Your account belongs to this organization.
org-guest-explain = You are a guest in this organization.

## Sign-ins
sign-ins-none = No recent sign-ins are recorded.
col-time = Time
col-app = App
col-ip = IP address
col-location = Location
col-result = Result
signin-result-success = Success
signin-result-failure = Failed
detail-title = Sign-in { $n } of { $total }
detail-failure = Failed ({ $code }): { $reason }
detail-client = Client
detail-browser = Browser
detail-correlation = Correlation ID
detail-hint = Up/Down: previous/next · Enter or Esc: close

## Privacy
privacy-org = Organization: { $org }
privacy-contact = Privacy contact
privacy-statement = Privacy statement
privacy-not-set = not provided by your organization
privacy-sees = What { $org } can see about you:
privacy-field-displayName = Name
privacy-field-userPrincipalName = Sign-in name
privacy-field-mail = Email
privacy-field-jobTitle = Job title
privacy-field-department = Department
privacy-field-officeLocation = Office
privacy-field-mobilePhone = Mobile phone
privacy-field-userType = Account type
privacy-field-preferredLanguage = Language
privacy-field-companyName = Company
privacy-sees-signins = Your sign-in activity: times, apps, IP addresses and locations
privacy-sees-devices = The devices you have registered or joined
privacy-sees-methods = Your security info (sign-in methods)
privacy-discovery-on = Your documents can be suggested to colleagues (content discovery is on).
privacy-discovery-off = Content discovery is off: your documents aren't suggested to colleagues.
privacy-discovery-unknown = Content discovery setting: not available.

## Expired password
hint-cancel = cancel
help-cancel-expired = Back to sign-in
expired-title = Change your password
expired-for = Account: { $user }
expired-intro = Choose a new password, then sign in with it.

## Sign-in: other routes
signin-other-device = Sign in on another device (phone or browser)
forgot-link = Forgot your password?
hint-forgot = forgot password
hint-new-code = new code
hint-yes = yes
hint-no = no
hint-choose = choose
hint-make-default = make default
hint-remove = remove
hint-toggle-discovery = change setting
help-cancel-device = Back to sign-in
help-new-code = Get a new code (after it expired)
help-forgot = Forgot your password?
help-actions = Make default / remove (asks first)
next-step-forgot = Forgot your password or locked out? Press F2 to reset it.
next-step-personal = For a personal account, go to https://account.microsoft.com instead.
next-step-device-code = Choose "Sign in on another device" below to sign in with MFA.
header-password-expired = Your password has expired
header-password-expires = Password expires in { $days ->
    [one] 1 day
   *[other] { $days } days
}
header-password-expires-hours = Password expires in { $hours ->
    [one] 1 hour
   *[other] { $hours } hours
}
header-password-expires-minutes = Password expires in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}

## Device code
device-title = Sign in on another device
device-requesting = Asking for a code…
device-step-1 = 1. On your phone or computer, open:
device-step-2 = 2. Enter this code:
device-step-3 = 3. Sign in there with your work or school account.
device-waiting = Waiting for you to finish there. The code expires in { $min } min { $sec } s.
device-new-code = Press Enter for a new code, or Esc to go back.
device-qr = Or scan the QR code with your phone's camera.

## Forgot password
forgot-title = Forgot your password?
forgot-explain = Changing your password here needs your current password. If you have forgotten it or are locked out, reset it with self-service password reset:
forgot-qr = Or scan the QR code with your phone.
forgot-no-qr = Open it on your phone or another computer.
forgot-no-url = Your organization has not configured a self-service reset address for this tool. Contact your helpdesk or administrator to reset your password.
forgot-close = Press Esc to close.

## Confirmations and results
confirm-title = Please confirm
confirm-remove = Remove { $method } from your sign-in methods?
done-remove = Removed { $method }.
confirm-default = Make { $method } your default sign-in method?
done-default = { $method } is now your default sign-in method.
confirm-discovery-off = Stop suggesting your documents to colleagues (turn content discovery off)?
done-discovery-off = Content discovery is now off.
confirm-discovery-on = Let your documents be suggested to colleagues (turn content discovery on)?
done-discovery-on = Content discovery is now on.
default-push = Microsoft Authenticator notification
default-oath = Authenticator app or hardware token code
default-sms = Phone, text a code
default-voiceMobile = Phone, call
default-voiceAlternateMobile = Alternate phone, call
default-voiceOffice = Office phone, call
security-portal-note = To add a method, go to
devices-portal-note = To disable or remove a device, go to
orgs-portal-note = To leave an organization, go to
sign-ins-note = Don't recognize a sign-in? Change your password on the Password page.

retrying-in = The service is busy. Trying again in { $seconds } s…
err-outcome-unknown-action = The connection was lost after the change was sent, so it is unknown whether it was made. Press r to load the page again and see.
org-group = Member
org-group-explain = You are a member of this group.
page-not-kept = Your account's directory doesn't keep this information, so there is nothing to show here.
header-grace-logins = Your password has expired: { $n } sign-ins left. Change it now.
expired-not-here = Your password can't be changed here; only an administrator can change it. Contact your administrator.

## sshkeys
page-ssh-keys = SSH keys
ssh-intro = Keys that SSH jump hosts accept for your account, kept in your directory entry ({ $attribute }).
ssh-none = There are no SSH keys on your account. Press a to add one.
ssh-col-type = Type
ssh-col-bits = Bits
ssh-col-comment = Comment
ssh-col-fingerprint = Fingerprint
ssh-bits = { $bits } bits
ssh-fingerprint = Fingerprint: { $fingerprint }
ssh-no-comment = (no comment)
ssh-other-values = { $count ->
    [one] 1 other value of { $attribute } is not an SSH public key; it is not shown and never changed here.
   *[other] { $count } other values of { $attribute } are not SSH public keys; they are not shown and never changed here.
}
ssh-accepted = Accepted: { $types }.
ssh-type-ed25519 = Ed25519
ssh-type-ecdsa = ECDSA
ssh-type-rsa = RSA of at least { $bits } bits
ssh-type-ed25519-sk = Ed25519 security key (ed25519-sk)
ssh-type-ecdsa-sk = ECDSA security key (ecdsa-sk)
ssh-add-label = Paste your public key (one line, such as the contents of ~/.ssh/id_ed25519.pub):
ssh-add-help = Paste the key, then press Enter. Esc cancels.
ssh-add-ok = Key: { $key }. Press Enter to add it.
ssh-adding = Adding the key…
issue-ssh-empty = Paste a public key first.
issue-ssh-private = That is a private key: it was not kept. Never share it. Paste the public key instead, from the file ending in .pub.
issue-ssh-several = Paste one key at a time (what was pasted had several lines).
issue-ssh-not-a-key = That is not an SSH public key. A public key is one line such as "ssh-ed25519 AAAA… name@host".
issue-ssh-type = { $type } keys are not accepted here.
issue-ssh-rsa-short = This RSA key has { $bits } bits; at least { $min } are needed. Make a new key, for example with: ssh-keygen -t ed25519
issue-ssh-duplicate = This key is on your account already.
err-ssh-not-allowed = The directory does not let you change your own SSH keys. Ask your directory administrator to add or remove the key for you, or to allow you to change your keys.
err-ssh-attribute = The directory cannot keep SSH keys in the attribute { $attribute } of your account: its schema does not have that attribute, or your entry's object classes do not allow it. Ask your directory administrator (the setting is --ssh-key-attribute).
acting-add-ssh = Adding the SSH key { $key }
done-add-ssh = SSH key added: { $key }.
confirm-remove-ssh = Remove the SSH key { $key }? Jump hosts will no longer accept it.
done-remove-ssh = SSH key removed: { $key }.
hint-add = add
hint-clear = clear
help-ssh-add = Add an SSH key (SSH keys page)
help-ssh-submit = Add the pasted key
help-ssh-cancel = Close the key field without adding
help-ssh-remove = Remove the selected key (asks first)
help-ssh-confirm = Answer or move between Yes and No

## bounded
err-response-too-large = The service sent an answer larger than any real one could be (over { $size }), so it was dropped unread and not asked for again. Try again later; if it keeps happening, tell your help desk: something between you and the service may be broken.
err-directory-too-many = The directory sent more entries than any real answer could have (over { $n }), so the answer was dropped and not asked for again. Tell your help desk: the directory or something in between may be broken.
err-cancelled = Cancelled. Nothing was changed.
retrying-in-attempt = The service is busy. Trying again in { $seconds } s (retry { $attempt } of { $max })…
err-cancelled-unknown = You stopped waiting, and the request may already have reached the service, so it is unknown whether your password was changed. Try signing in with the new password to find out.
err-cancelled-unknown-action = You stopped waiting, and the change may already have reached the service, so it is unknown whether it was made. Press r to load the page again and see.

## kerberos
err-krb-policy = The domain refused the new password.
err-krb-policy-rules = Its password rules are:
err-krb-policy-length = at least { $n } characters;
err-krb-policy-complex = characters from at least three of: capital letters, small letters, digits, symbols, and not your account name;
err-krb-policy-history = { $n ->
    [one] not your previous password;
   *[other] not one of your last { $n } passwords;
}
err-krb-policy-age = the password can be changed only once { $days ->
    [one] a day
   *[other] every { $days } days
}, so if you changed it recently, try again later.
err-krb-malformed = The password server could not read the request (Kerberos result { $code }). Try again; if it keeps happening, contact your administrator.
err-krb-hard = The password server failed to change the password (Kerberos result { $code }). Nothing was changed; contact your administrator.
err-krb-auth = The password server did not accept this sign-in for a password change (Kerberos result { $code }). Check the current password and try again.
err-krb-soft = The password server refused the new password (Kerberos result { $code }). Choose a different one.
err-krb-access = You are not allowed to change this password (Kerberos result { $code }). Contact your administrator.
err-krb-version = The password server does not speak this version of the change-password protocol (Kerberos result { $code }). Contact your administrator.
err-krb-initial = The password server wants a fresh sign-in for the change (Kerberos result { $code }). Try again.
err-krb-other = The password server refused the change (Kerberos result { $code }).
err-krb-revoked = The Kerberos server refuses this account: it is either locked after too many failed sign-ins or disabled, and it does not say which. Wait a while and try again, or contact your administrator.

## breach
err-breached = { $count ->
    [one] This password has appeared once in known data breaches, so attackers try it early. Choose a different one.
   *[other] This password has appeared { $shown } times in known data breaches, so attackers try it early. Choose a different one.
}
breach-unavailable = The check against known breached passwords could not run ({ $reason }). Your change goes ahead without it.
breach-not-checked = The check against known breached passwords could not run, so the new password was not checked.
breach-why-timeout = no answer within { $seconds } seconds
breach-why-status = the service answered HTTP { $status }
breach-why-bad-answer = the answer was not a list of password hashes
breach-why-no-file = there is no file { $path }
breach-why-unreadable = { $path } cannot be read: { $detail }
security-sign-out-everywhere = Sign out everywhere: all devices and apps, this one too
confirm-sign-out-everywhere = Sign out everywhere? Every browser, phone and app signed in to your account, this one too, must sign in again.
notice-signed-out-everywhere = You have signed out everywhere. Every browser, phone and app must sign in again; it can take a few minutes to reach them all.
err-permission-revoke = Your organization hasn't granted this app the "{ $permission }" permission, so it can't sign you out everywhere. Ask your administrator to grant it, or use "Sign out everywhere" under Security info in the web portal: https://mysignins.microsoft.com/security-info

## graphtruth
privacy-field-givenName = First name
privacy-field-surname = Last name
privacy-field-businessPhones = Office phone
privacy-field-usageLocation = Country or region of use
privacy-field-passwordPolicies = Password rules for your account
privacy-field-accountEnabled = Account enabled
privacy-field-createdDateTime = Account created
privacy-field-lastPasswordChangeDateTime = Password last changed
privacy-policy-none = standard (your organization's policy)
privacy-policy-no-expiry = the password never expires
privacy-policy-weak-allowed = weaker passwords allowed
privacy-user-member = member of the organization
privacy-user-guest = guest
err-role-missing = Your account doesn't have the directory role this needs. Only an administrator can assign it; trying again won't change that.
signins-refused-title = Sign-in logs can't be shown here
signins-role-missing = Microsoft lets only administrators read sign-in logs through its API (roles such as Reports Reader, Security Reader or Global Reader), and your account has none of them. That is normal for most people, and trying again won't change it.
signins-not-licensed = Microsoft shows sign-in logs through its API only to organizations with a Microsoft Entra ID P1 or P2 subscription, and yours doesn't have one. Trying again won't change that.
signins-not-consented = Your organization hasn't granted this app the "{ $permission }" permission that reading sign-in logs needs, and only an administrator can grant it. Trying again won't change that.
signins-own-activity = You can see your own recent sign-ins in a web browser at:
signins-own-qr = Or scan the QR code with your phone.
signins-own-no-qr = Open it on your phone or another computer.
signin-demo-others = Same password: { $ordinary } is an ordinary user (see Sign-ins); Conditional Access blocks { $blocked }.
device-back = Press Esc to go back.
# AADSTS codes (graph.md 1.8) not covered by an error of their own
err-helpdesk = For your help desk: error code { $code }.
aadsts-50056 = Your account has no password stored, so it can't sign in with one. Ask your help desk to set one.
aadsts-50058 = The service found no signed-in session for you. Sign in again.
aadsts-50059 = The service couldn't tell which organization your account belongs to. Check the part after the @ in your sign-in name, or ask your help desk which organization (tenant) to use.
aadsts-50005 = Your organization's Conditional Access policy doesn't allow sign-in from this kind of device or operating system. Sign in from a device your organization supports, or ask your help desk.
aadsts-50020 = Your account isn't a member or guest of this organization. Check that you used the right account, or ask the organization to invite you.
aadsts-50173 = Your sign-in is no longer valid, for example because the password was changed or all sessions were signed out. Sign in again.
aadsts-53000 = Your organization allows sign-in only from compliant (managed) devices, and this device isn't one. Sign in from a managed device, or ask your help desk to enrol this one.
aadsts-53001 = Your organization allows sign-in only from devices joined to its domain, and this device isn't one. Sign in from such a device, or ask your help desk.
aadsts-53003 = Your organization's Conditional Access policy blocked this sign-in. Trying again won't help: ask your help desk, who can see which policy blocked it and why.
aadsts-530035 = Your organization's security defaults blocked this sign-in (for example a sign-in with a password alone). Ask your help desk how you should sign in.
aadsts-50105 = Your administrator hasn't given your account access to this app. Ask your help desk to assign you to it.
aadsts-50158 = Your organization requires an extra security check from another provider, which can't be done here. Sign in on another device with a web browser, or ask your help desk.
aadsts-50097 = Your organization requires the device to prove its identity (device authentication), which this app can't do. Sign in on another device, or ask your help desk.
aadsts-65002 = This app's client id isn't authorized for Microsoft Graph in your organization. Your administrator needs to register the organization's own app and set its id (--client-id).
aadsts-70000 = Your sign-in is no longer valid. Sign in again.
aadsts-70011 = The service refused the permissions this app asked for. That is a configuration problem: tell your help desk.
aadsts-70018 = The code entered on the other device was wrong. Start again with a new code.
aadsts-70043 = Your organization requires you to sign in again after a set time. Sign in again.
aadsts-7000218 = This app's registration doesn't allow sign-in from a terminal ("Allow public client flows" is off). Your administrator must turn it on in the app registration.
aadsts-700016 = The app id this tool uses isn't known in your organization (a wrong client id or the wrong tenant). Your administrator must check the --client-id and --tenant settings.
aadsts-700025 = This app is registered as a public client but a secret was sent with the sign-in. Your administrator must check the app registration.
aadsts-700082 = Your sign-in expired because it wasn't used for a long time. Sign in again.
aadsts-90002 = The organization (tenant) this tool is set to use wasn't found. Check the --tenant setting, the part after the @ in your sign-in name, and whether your organization uses a national cloud (--authority-url).
aadsts-9001023 = Password sign-in needs your organization's own tenant, not "common". Set --tenant to your organization's domain or tenant id.
aadsts-50194 = This app is registered for one organization only, so it can't be used with the "common" tenant. Set --tenant to your organization's domain or tenant id.
aadsts-9002331 = This app is registered for personal Microsoft accounts only. Your administrator must use an app registered for work or school accounts.

## dirpolicy
rule-min-length = at least { $min } characters
rule-min-length-credits = at least { $min } characters, where the host counts some digits, capitals, small letters or symbols as two
rule-max-length = at most { $max } characters
rule-ad-complexity = characters of 3 of these 5 kinds: capitals, small letters, digits, symbols, letters without case
rule-min-kind = at least { $n } { $kind ->
    [lower] { $n ->
        [one] small letter
       *[other] small letters
    }
    [upper] { $n ->
        [one] capital
       *[other] capitals
    }
    [digit] { $n ->
        [one] digit
       *[other] digits
    }
   *[other] { $n ->
        [one] symbol
       *[other] symbols
    }
}
rule-no-ad-name = no part of your account name or display name (3 or more letters)
rule-no-user-name = not to contain your user name
rule-max-repeat = no character more than { $n } times in a row
rule-history = to differ from your last { $n } passwords
issue-new-empty = Enter a new password.
issue-too-short-credits = The new password is too short for this computer's rules (at least { $min }, counting some kinds of characters as two).
issue-ad-complexity = Use characters of at least 3 of these 5 kinds: capitals, small letters, digits, symbols, letters without case.
issue-contains-ad-name = The new password contains your account name or part of your display name. Choose one without them.
issue-contains-name = The new password contains your user name. Choose one without it.
issue-few-of-kind = The new password needs more of some kinds of characters.
issue-few-of-kind-list = The new password needs { $list }.
issue-repeats = The new password repeats a character too many times in a row.
issue-repeats-n = The new password repeats a character more than { $n } times in a row.
policy-from-domain = Rules of the domain { $name }
policy-from-pso = Rules of the password policy "{ $name }" that applies to you
policy-from-ppolicy = Rules of the directory's password policy { $name }
policy-from-pam = Rules of this computer (PAM service { $name })
policy-from-flags = Rules set by your administrator for this app
policy-unknown = Your directory checks the new password when you submit it; its rules can't be read here.
policy-more-checks = The directory also checks it in ways not listed here when you submit it.
policy-more-checks-host = This computer also checks it when you submit it (for example against a dictionary, or for being too like the old one).
policy-max-age = Passwords expire { $days ->
    [one] 1 day
   *[other] { $days } days
} after they are set.
policy-lockout = { $n } wrong passwords in a row lock the account.
policy-grace = After it expires you can still sign in { $n ->
    [one] once
   *[other] { $n } times
} to change it.
policy-too-soon = Your password was changed recently: the rules let you change it again after { $date }.
err-setup-anonymous = This app can't look up your account: the directory doesn't let it search without signing in first. Tell your administrator to set --dn-template (how to build your directory name) or a search account with --bind-dn and --bind-password-file.
err-setup-base-missing = This app can't look up your account: the place it searches, { $base }, doesn't exist in the directory. Tell your administrator to correct --base-dn.
err-setup-tls = This app can't look up your account: the directory requires an encrypted connection. Tell your administrator to use an ldaps:// address or --starttls.
err-setup-unwilling = This app can't look up your account: the directory is unwilling to do the search. Tell your administrator to check the directory's settings for searches by this app (--base-dn, --user-filter, --bind-dn).
err-setup-ambiguous = { $n } directory entries match the name you typed, so it isn't clear which account is yours. Sign in with a more exact name, or tell your administrator to narrow --user-filter.
err-setup-service-refused = The account this app uses to search the directory was refused (LDAP result { $rc }). Tell your administrator to check --bind-dn and its password file.
err-host-refused = This computer didn't accept the new password. Choose another one.
err-host-refused-said = This computer didn't accept the new password: "{ $text }"

## help overlay: each page lists the keys that act on it
help-revoke-sessions = Sign out everywhere (asks first)
help-privacy-toggle = Content discovery on/off (asks first)

## graphids
err-helpdesk-ids = For your help desk:
strength-breached = weak (found in known data breaches)
err-is-current = The new password is your current password, which Microsoft Entra doesn't accept on a change. Choose a different one.
privacy-field-sAMAccountName = Windows sign-in name
privacy-field-distinguishedName = Your entry in the directory
privacy-field-city = City

## pages
help-ends = First or last (in the menu or a list)

## fold
too-small-reader = Make the window larger: at least { $w }×{ $h } characters are needed. At any size, myaccount --screen-reader works line by line.
fold-more-above = ↑ { $n } more above
fold-more-below = ↓ { $n } more below (PgDn)

## keymap2
help-line-move = Move in the user name; Del deletes the next character
help-line-keys = Start or end of the user name; Ctrl-W deletes a word
help-open-link = Open the link (device code, forgot password)
help-submit-button = Submit (on the button)
help-fold-scroll = Scroll what the window cuts off

## fold3
ssh-more = More about these keys: Enter
ssh-detail-title = Key { $n } of { $total }
device-detail-title = Device { $n } of { $total }
org-detail-title = Organization { $n } of { $total }


## lead: the default sign-in methods the menu's choices don't name (the service may report them)
default-fido2 = Passkey (FIDO2)
default-windowsHelloForBusiness = Windows Hello for Business
